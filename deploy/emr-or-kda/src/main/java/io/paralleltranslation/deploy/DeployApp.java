package io.paralleltranslation.deploy;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK app: {@code cdk synth -c env=dev} (or {@code synth.sh dev}) builds the two stacks of one
 * environment, data first, then the application. Account and region come from the CLI's profile (CDK_DEFAULT_ACCOUNT/REGION); without
 * them the template is environment-agnostic.
 */
public final class DeployApp {

    /** The CDK context key selecting the environment. */
    public static final String ENV_CONTEXT_KEY = "env";
    /** Optional CDK context key: minutes idle before the application stops itself; 0 turns it off. */
    public static final String AUTO_STOP_CONTEXT_KEY = "autoStopMinutes";

    private DeployApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }

    /**
     * Adds the two stacks of the environment named by the app's {@code env} context value and
     * returns the application stack.
     */
    public static ApplicationStack build(App app) {
        Object requested = app.getNode().tryGetContext(ENV_CONTEXT_KEY);
        EnvironmentConfig env = EnvironmentConfig.named(requested == null ? null : requested.toString());
        Object autoStop = app.getNode().tryGetContext(AUTO_STOP_CONTEXT_KEY);
        if (autoStop != null) {
            try {
                env.withAutoStopAfterIdle(Integer.parseInt(autoStop.toString().trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(AUTO_STOP_CONTEXT_KEY + " must be a whole number of minutes"
                        + " (cdk synth -c autoStopMinutes=30), got '" + autoStop + "'");
            }
        }
        Tags.of(app).add("project", "parallel-translation");
        Tags.of(app).add("environment", env.name());
        DataStack data = new DataStack(app, dataStackName(env),
                props("parallel-translation data: stream, quota table, bucket, secret (" + env.name() + ")"), env);
        return new ApplicationStack(app, applicationStackName(env),
                props("parallel-translation on Managed Service for Apache Flink (" + env.name() + ")"), data);
    }

    public static String dataStackName(EnvironmentConfig env) {
        return "ParallelTranslation-" + env.name() + "-data";
    }

    public static String applicationStackName(EnvironmentConfig env) {
        return "ParallelTranslation-" + env.name() + "-app";
    }

    private static StackProps props(String description) {
        return StackProps.builder()
                .env(Environment.builder()
                        .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                        .region(System.getenv("CDK_DEFAULT_REGION"))
                        .build())
                .description(description)
                .build();
    }
}
