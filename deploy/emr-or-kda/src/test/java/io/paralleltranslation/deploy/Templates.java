package io.paralleltranslation.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes each environment's stack at most once per test JVM: jsii makes a synthesis cost
 * seconds, and every test class reads the same templates.
 */
final class Templates {

    private static final Map<String, Template> CACHE = new ConcurrentHashMap<>();

    private Templates() {
    }

    static synchronized Template of(String env) {
        return CACHE.computeIfAbsent(env, name -> Template.fromStack(DeployApp.build(app(name))));
    }

    static App app(String env) {
        return App.Builder.create()
                .context(Collections.singletonMap(DeployApp.ENV_CONTEXT_KEY, env))
                .stackTraces(false)
                .treeMetadata(false)
                .analyticsReporting(false)
                .build();
    }

    /** The one resource of a type, as its template JSON. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> onlyResource(Template template, String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        if (found.size() != 1) {
            throw new AssertionError("Expected one " + type + ", found " + found.keySet());
        }
        return (Map<String, Object>) found.values().iterator().next().get("Properties");
    }

    /** Every IAM policy statement of every AWS::IAM::Policy in the template. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> policyStatements(Template template) {
        List<Map<String, Object>> statements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").values().forEach(policy -> {
            Map<String, Object> props = (Map<String, Object>) policy.get("Properties");
            Map<String, Object> doc = (Map<String, Object>) props.get("PolicyDocument");
            statements.addAll((List<Map<String, Object>>) doc.get("Statement"));
        });
        return statements;
    }

    /** A string, or a list of strings, as a list (IAM allows both). */
    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        return value instanceof List ? (List<Object>) value : Collections.singletonList(value);
    }

    /**
     * Renders a CloudFormation value as text: literal parts as they are, {@code Ref} and
     * {@code Fn::GetAtt} as {@code ${Name}} and {@code ${Name.Attribute}}, {@code Fn::Join}
     * concatenated. Enough to read ARNs and look for wildcards.
     */
    @SuppressWarnings("unchecked")
    static String render(Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof Map) {
            Map<String, Object> m = (Map<String, Object>) value;
            if (m.containsKey("Ref")) {
                return "${" + m.get("Ref") + "}";
            }
            if (m.containsKey("Fn::GetAtt")) {
                List<Object> att = (List<Object>) m.get("Fn::GetAtt");
                return "${" + att.get(0) + "." + att.get(1) + "}";
            }
            if (m.containsKey("Fn::Join")) {
                List<Object> join = (List<Object>) m.get("Fn::Join");
                StringBuilder sb = new StringBuilder();
                List<Object> parts = (List<Object>) join.get(1);
                for (int i = 0; i < parts.size(); i++) {
                    if (i > 0) {
                        sb.append(join.get(0));
                    }
                    sb.append(render(parts.get(i)));
                }
                return sb.toString();
            }
        }
        return String.valueOf(value);
    }
}
