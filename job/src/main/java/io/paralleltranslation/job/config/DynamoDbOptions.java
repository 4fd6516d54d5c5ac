package io.paralleltranslation.job.config;

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
    public static final ConfigOption<Duration> ATTEMPT_TIMEOUT = ConfigOptions.key("dynamodb.attempt-timeout")
            .durationType().noDefaultValue()
            .withDescription("timeout of one limiter request to DynamoDB (retried, then the limiter keeps to its "
                    + "fallback share). Unset: 2s on AWS; 30s with an endpoint override, which a stand-in on a "
                    + "loaded 2-core machine meets (dynalite dies when a client aborts a request)");
    public static final ConfigOption<String> QUOTA_SCOPE = ConfigOptions.key("dynamodb.quota-scope").stringType()
            .defaultValue("gemini")
            .withDescription("name of the quota item; every job sharing one Gemini project and model uses the same");

    static final OptionRules RULES = new OptionRules()
            .check(TABLE, OptionRules.notEmpty())
            .parses(ENDPOINT, OptionRules::parseUrl)
            .check(ATTEMPT_TIMEOUT, OptionRules.positive())
            .check(QUOTA_SCOPE, OptionRules.notEmpty());

    private DynamoDbOptions() {}
}
