package io.paralleltranslation.deploy;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: {@code cdk synth -c env=dev} (or {@code synth.sh dev}) builds the stack of one
 * environment. Account and region come from the CLI's profile (CDK_DEFAULT_ACCOUNT/REGION); without
 * them the template is environment-agnostic.
 */
public final class DeployApp {

    /** The CDK context key selecting the environment. */
    public static final String ENV_CONTEXT_KEY = "env";

    private DeployApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }

    /** Adds the stack of the environment named by the app's {@code env} context value. */
    public static TranslationStack build(App app) {
        Object requested = app.getNode().tryGetContext(ENV_CONTEXT_KEY);
        EnvironmentConfig env = EnvironmentConfig.named(requested == null ? null : requested.toString());
        return new TranslationStack(app, stackName(env), StackProps.builder()
                .env(Environment.builder()
                        .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                        .region(System.getenv("CDK_DEFAULT_REGION"))
                        .build())
                .description("parallel-translation on Managed Service for Apache Flink (" + env.name() + ")")
                .build(), env);
    }

    public static String stackName(EnvironmentConfig env) {
        return "ParallelTranslation-" + env.name();
    }
}
