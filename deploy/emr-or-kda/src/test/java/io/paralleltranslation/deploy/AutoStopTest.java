package io.paralleltranslation.deploy;

import static io.paralleltranslation.deploy.Templates.asList;
import static io.paralleltranslation.deploy.Templates.map;
import static io.paralleltranslation.deploy.Templates.onlyResource;
import static io.paralleltranslation.deploy.Templates.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.paralleltranslation.operators.metrics.MetricNames;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

class AutoStopTest {

    private static Template dev;
    private static Template staging;
    private static Template prod;

    @TempDir
    Path dir;

    @BeforeAll
    static void synthesize() {
        dev = Templates.application("dev");
        staging = Templates.application("staging");
        prod = Templates.application("prod");
    }

    @Test
    void devAndStagingStopThemselvesWhenIdleAndProdStaysOn() {
        dev.resourceCountIs("AWS::Lambda::Function", 1);
        staging.resourceCountIs("AWS::Lambda::Function", 1);
        prod.resourceCountIs("AWS::Lambda::Function", 0);
        prod.resourceCountIs("AWS::Events::Rule", 0);
        assertThat(environment(dev)).containsEntry("IDLE_MINUTES", "30");
        assertThat(environment(staging)).containsEntry("IDLE_MINUTES", "60");
    }

    @Test
    void theFunctionChecksEveryFiveMinutesWhatTheJobAndTheStreamReport() {
        Map<String, Object> function = onlyResource(dev, "AWS::Lambda::Function");
        assertThat(function.get("FunctionName")).isEqualTo("pt-dev-auto-stop");
        assertThat(function.get("Runtime")).isEqualTo("nodejs22.x");
        assertThat(function.get("Handler")).isEqualTo("index.handler");
        assertThat(render(((Map<?, ?>) function.get("Code")).get("ZipFile"))).isEqualTo(AutoStop.code());
        assertThat(environment(dev)).containsEntry("APPLICATION_NAME", "pt-dev-translator")
                .containsEntry("STREAM_NAME", "pt-dev-chunks")
                .containsEntry("METRICS_NAMESPACE", "AWS/KinesisAnalytics")
                .containsEntry("IN_FLIGHT_METRIC", MetricNames.CHUNKS_IN_FLIGHT);
        dev.hasResourceProperties("AWS::Events::Rule", map(
                "ScheduleExpression", "rate(5 minutes)",
                "State", "ENABLED"));
        Map<String, Object> rule = onlyResource(dev, "AWS::Events::Rule");
        assertThat(render(asList(rule.get("Targets")).get(0))).contains("RetryPolicy={MaximumRetryAttempts=0}");
        dev.hasResourceProperties("AWS::Lambda::Permission", map(
                "Action", "lambda:InvokeFunction",
                "Principal", "events.amazonaws.com"));
        dev.hasResourceProperties("AWS::Logs::LogGroup", map("LogGroupName", "/aws/lambda/pt-dev-auto-stop"));
    }

    /** Only StopApplication/DescribeApplication on this application, metrics read, its own log written. */
    @Test
    @SuppressWarnings("unchecked")
    void theFunctionsRoleMayOnlyStopThisApplicationReadMetricsAndWriteItsLog() {
        Map<String, Map<String, Object>> roles = dev.findResources("AWS::IAM::Role");
        Map<String, Object> role = roles.values().stream()
                .map(r -> (Map<String, Object>) r.get("Properties"))
                .filter(p -> render(p.get("AssumeRolePolicyDocument")).contains("lambda.amazonaws.com"))
                .findFirst().orElseThrow();
        assertThat((List<Object>) role.get("ManagedPolicyArns")).as("no AWS managed policy").isNull();
        List<Object> policies = asList(role.get("Policies"));
        assertThat(policies).hasSize(1);
        Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) policies.get(0)).get("PolicyDocument");
        Map<String, String> actual = new LinkedHashMap<>();
        for (Object o : asList(document.get("Statement"))) {
            Map<String, Object> s = (Map<String, Object>) o;
            assertThat(s.get("Effect")).isEqualTo("Allow");
            assertThat(s).doesNotContainKey("Condition");
            Set<String> actions = new TreeSet<>();
            asList(s.get("Action")).forEach(a -> actions.add((String) a));
            actual.put((String) s.get("Sid"), actions + " on " + render(asList(s.get("Resource")).get(0)));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("StopIdleApplication", "[kinesisanalytics:DescribeApplication, kinesisanalytics:StopApplication]"
                + " on arn:${AWS::Partition}:kinesisanalytics:${AWS::Region}:${AWS::AccountId}:application/pt-dev-translator");
        expected.put("ReadIdleMetrics", "[cloudwatch:GetMetricData] on *");
        expected.put("WriteOwnLog", "[logs:CreateLogStream, logs:PutLogEvents] on arn:${AWS::Partition}:logs:"
                + "${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/pt-dev-auto-stop:log-stream:*");
        assertThat(actual).isEqualTo(expected);
        // Nothing else grants the function's role anything (e.g. a CDK-added AWS::IAM::Policy).
        String roleId = roles.entrySet().stream()
                .filter(e -> render(e.getValue().get("Properties")).contains("lambda.amazonaws.com"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        dev.findResources("AWS::IAM::Policy").values()
                .forEach(p -> assertThat(render(p.get("Properties"))).doesNotContain(roleId));
    }

    @Test
    void theIdleTimeIsAContextOptionWithAFloor() {
        App app = Templates.app("prod");
        app.getNode().setContext(DeployApp.AUTO_STOP_CONTEXT_KEY, "45");
        ApplicationStack stack = DeployApp.build(app);
        assertThat(environment(Template.fromStack(stack))).containsEntry("IDLE_MINUTES", "45");

        App off = Templates.app("dev");
        off.getNode().setContext(DeployApp.AUTO_STOP_CONTEXT_KEY, "0");
        Template.fromStack(DeployApp.build(off)).resourceCountIs("AWS::Lambda::Function", 0);

        assertThatIllegalArgumentException().isThrownBy(() -> EnvironmentConfig.named("dev").withAutoStopAfterIdle(5))
                .withMessageContaining("at least 10");
        App bad = Templates.app("dev");
        bad.getNode().setContext(DeployApp.AUTO_STOP_CONTEXT_KEY, "half an hour");
        assertThatIllegalArgumentException().isThrownBy(() -> DeployApp.build(bad))
                .withMessageContaining("autoStopMinutes must be a whole number of minutes");
    }

    /** The function's decision, run by Node (which the build needs anyway for jsii). */
    @Test
    void itStopsOnlyARunningJobWithNoInputAndNothingInFlightForTheWholeIdleTime() throws Exception {
        assertThat(decide("RUNNING", "[0,0]", "[0,0,0,0,0,0,0,0,0,0]", 10)).isEqualTo("null");
        assertThat(decide("RUNNING", "[]", "[0,0,0,0,0,0,0,0,0]", 10)).as("no Kinesis datapoint: nothing put")
                .isEqualTo("null");
        assertThat(decide("READY", "[]", "[]", 10)).isEqualTo("\"status is READY\"");
        assertThat(decide("RUNNING", "[0,3]", "[0,0,0,0,0,0,0,0,0,0]", 10))
                .isEqualTo("\"records were put in the last 10 min\"");
        assertThat(decide("RUNNING", "[]", "[0,0,0,0,0,0,0,0,0,2]", 10))
                .isEqualTo("\"chunks are still being translated\"");
        assertThat(decide("RUNNING", "[]", "[0,0,0]", 10)).as("just started, or not reporting")
                .isEqualTo("\"chunksInFlight reported for 3 of the last 10 min\"");
    }

    private String decide(String status, String incoming, String inFlight, int idleMinutes) throws Exception {
        Path code = Files.writeString(dir.resolve("index.js"), AutoStop.code());
        String script = "const f = require(" + json(code.toString()) + "); process.stdout.write(JSON.stringify("
                + "f.decide(" + json(status) + ", " + incoming + ", " + inFlight + ", " + idleMinutes + ")));";
        Process node = new ProcessBuilder("node", "-e", script).redirectErrorStream(true).start();
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(out).isZero();
        return out;
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Template template) {
        Map<String, Object> function = onlyResource(template, "AWS::Lambda::Function");
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) function.get("Environment"))
                .get("Variables");
        Map<String, String> out = new LinkedHashMap<>();
        variables.forEach((k, v) -> out.put(k, render(v)));
        return out;
    }

    @Test
    void readsTheResourceItShips() {
        assertThat(AutoStop.code()).contains("module.exports = { handler, decide }")
                .hasSizeLessThan(4096).as("CloudFormation's inline ZipFile limit");
    }
}
