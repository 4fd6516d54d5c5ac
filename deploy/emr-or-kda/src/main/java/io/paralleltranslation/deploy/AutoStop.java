package io.paralleltranslation.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.paralleltranslation.operators.metrics.MetricNames;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Pay only while translating: a small scheduled function that stops the application, with a
 * snapshot, once nothing was put on its stream and no chunk was inside the job for the
 * environment's idle time. {@code bin/submit --start} starts it again before putting records.
 * Its role may only describe and stop this one application, read metrics and write its own log.
 */
public final class AutoStop extends Construct {

    /** How often the function checks; the idle time is measured in one-minute datapoints. */
    public static final Duration CHECK_EVERY = Duration.minutes(5);
    static final String CODE_RESOURCE = "/auto-stop/index.js";

    private final Function function;

    public AutoStop(Construct scope, String id, EnvironmentConfig env, String applicationArn) {
        super(scope, id);
        String functionName = env.prefix() + "-auto-stop";
        Stack stack = Stack.of(this);
        LogGroup logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/aws/lambda/" + functionName)
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(software.amazon.awscdk.RemovalPolicy.DESTROY)
                .build();
        String logStreams = stack.formatArn(ArnComponents.builder()
                .service("logs")
                .resource("log-group")
                .resourceName("/aws/lambda/" + functionName + ":log-stream:*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());

        PolicyDocument policy = PolicyDocument.Builder.create()
                .statements(Arrays.asList(
                        allow("StopIdleApplication", applicationArn, "kinesisanalytics:DescribeApplication",
                                "kinesisanalytics:StopApplication"),
                        // GetMetricData has no resource-level permissions: AWS requires "*".
                        allow("ReadIdleMetrics", "*", "cloudwatch:GetMetricData"),
                        allow("WriteOwnLog", logStreams, "logs:CreateLogStream", "logs:PutLogEvents")))
                .build();
        // An inline policy: the role and its only permissions are created and deleted together.
        Role role = Role.Builder.create(this, "Role")
                .description("Stops " + env.applicationName() + " when idle")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .inlinePolicies(Collections.singletonMap("StopWhenIdle", policy))
                .build();

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("APPLICATION_NAME", env.applicationName());
        environment.put("STREAM_NAME", env.streamName());
        environment.put("IDLE_MINUTES", Long.toString(env.autoStopAfterIdle().toMinutes()));
        environment.put("METRICS_NAMESPACE", ManagedFlinkMetrics.NAMESPACE);
        environment.put("IN_FLIGHT_METRIC", MetricNames.CHUNKS_IN_FLIGHT);
        this.function = Function.Builder.create(this, "Function")
                .functionName(functionName)
                .description("Stops " + env.applicationName() + " (with a snapshot) after "
                        + env.autoStopAfterIdle().toMinutes() + " min without input or chunks in flight")
                .runtime(Runtime.NODEJS_22_X)
                .handler("index.handler")
                .code(Code.fromInline(code()))
                .role(role)
                .logGroup(logGroup)
                .memorySize(128)
                .timeout(Duration.seconds(60))
                .environment(environment)
                .build();
        // CDK makes a function depend on its role so that separate policies exist before it runs; the
        // role's policy is inline here and Fn::GetAtt already orders them (cfn-lint W3005).
        ((CfnResource) function.getNode().getDefaultChild()).addDeletionOverride("DependsOn");

        Rule.Builder.create(this, "Schedule")
                .description("Checks every " + CHECK_EVERY.toMinutes() + " min whether " + env.applicationName()
                        + " is idle")
                .schedule(Schedule.rate(CHECK_EVERY))
                .targets(Collections.singletonList(LambdaFunction.Builder.create(function)
                        // The next scheduled run is the retry.
                        .retryAttempts(0)
                        .build()))
                .build();
    }

    public Function function() {
        return function;
    }

    /** The function's source: deploy/emr-or-kda/src/main/resources/auto-stop/index.js. */
    static String code() {
        try (InputStream in = AutoStop.class.getResourceAsStream(CODE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + CODE_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PolicyStatement allow(String sid, String resource, String... actions) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .actions(Arrays.asList(actions))
                .resources(Collections.singletonList(resource))
                .build();
    }
}
