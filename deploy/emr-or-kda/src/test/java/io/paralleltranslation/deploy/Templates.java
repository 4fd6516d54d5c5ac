package io.paralleltranslation.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes each environment's stacks at most once per test JVM: jsii makes a synthesis cost
 * seconds, and every test class reads the same templates.
 */
final class Templates {

    private static final Map<String, Template> DATA = new ConcurrentHashMap<>();
    private static final Map<String, Template> APPLICATION = new ConcurrentHashMap<>();
    /** Export name to the exported value, so imports render like local references. */
    private static final Map<String, Object> EXPORTS = new ConcurrentHashMap<>();

    private Templates() {
    }

    static synchronized Template data(String env) {
        synthesize(env);
        return DATA.get(env);
    }

    static synchronized Template application(String env) {
        synthesize(env);
        return APPLICATION.get(env);
    }

    @SuppressWarnings("unchecked")
    private static void synthesize(String env) {
        if (DATA.containsKey(env)) {
            return;
        }
        App app = app(env);
        ApplicationStack stack = DeployApp.build(app);
        Template data = Template.fromStack(app.getNode().getChildren().stream()
                .filter(DataStack.class::isInstance).map(DataStack.class::cast).findFirst().orElseThrow());
        data.findOutputs("*").values().forEach(output -> {
            Object export = output.get("Export");
            if (export != null) {
                EXPORTS.put((String) ((Map<String, Object>) export).get("Name"), output.get("Value"));
            }
        });
        DATA.put(env, data);
        APPLICATION.put(env, Template.fromStack(stack));
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
     * concatenated, {@code Fn::ImportValue} as the value the data stack exports. Enough to read
     * ARNs and look for wildcards.
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
            if (m.containsKey("Fn::ImportValue")) {
                Object exported = EXPORTS.get(m.get("Fn::ImportValue"));
                if (exported == null) {
                    throw new AssertionError("Import of an export no synthesized stack has: " + m);
                }
                return render(exported);
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

    /** An ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
