package io.paralleltranslation.job.config;

import io.paralleltranslation.cli.Durations;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** {@code dynamodb.*}: the table holding the global quota item. */
public final class DynamoDbOptions {
    public static final ConfigOption<String> TABLE = ConfigOptions.key("dynamodb.table").stringType()
            .defaultValue("parallel-translation-quota")
            .withDescription("DynamoDB table holding the global quota item");
    public static final ConfigOption<String> REGION = ConfigOptions.key("dynamodb.region").stringType()
            .noDefaultValue().withDescription("AWS region of the table; unset: the Kinesis region");
    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("dynamodb.endpoint").stringType()
            .noDefaultValue().withDescription("DynamoDB endpoint override, a URL (dynalite locally); unset: AWS");
    /** {@link #ATTEMPT_TIMEOUT} unset, against AWS. */
    public static final Duration AWS_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    /** {@link #ATTEMPT_TIMEOUT} unset, with {@link #ENDPOINT} set (a stand-in). */
    public static final Duration STAND_IN_ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
    public static final ConfigOption<Duration> ATTEMPT_TIMEOUT = ConfigOptions.key("dynamodb.attempt-timeout")
            .durationType().noDefaultValue()
            .withDescription("timeout of one limiter request to DynamoDB (retried, then the limiter keeps to its "
                    + "fallback share). Unset: " + Durations.format(AWS_ATTEMPT_TIMEOUT) + " on AWS; "
                    + Durations.format(STAND_IN_ATTEMPT_TIMEOUT) + " with an endpoint override, which a stand-in on a "
                    + "loaded 2-core machine meets (dynalite dies when a client aborts a request)");
    public static final ConfigOption<String> QUOTA_SCOPE = ConfigOptions.key("dynamodb.quota-scope").stringType()
            .defaultValue("gemini")
            .withDescription("name of the quota item; every job sharing one Gemini project and model uses the same");

    static final OptionRules RULES = new OptionRules()
            .check(TABLE, OptionRules.notEmpty())
            .parses(ENDPOINT, "url", OptionRules::parseUrl)
            .check(ATTEMPT_TIMEOUT, OptionRules.positive())
            .check(QUOTA_SCOPE, OptionRules.notEmpty());

    private DynamoDbOptions() {}
}
