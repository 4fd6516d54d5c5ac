package io.paralleltranslation.job.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** {@code cache.*}: the translation cache, so no call is paid twice. */
public final class CacheOptions {
    public static final ConfigOption<Boolean> ENABLED = ConfigOptions.key("cache.enabled").booleanType()
            .defaultValue(true)
            .withDescription("look each chunk up in the translation cache before taking quota and store each paid "
                    + "translation there, so replays, resubmissions and reruns do not pay again");
    public static final ConfigOption<String> TABLE = ConfigOptions.key("cache.table").stringType()
            .defaultValue("parallel-translation-cache")
            .withDescription("DynamoDB table of the translation cache (same region and endpoint as "
                    + "`dynamodb.table`)");
    public static final ConfigOption<Duration> TTL = ConfigOptions.key("cache.ttl").durationType()
            .defaultValue(Duration.ofDays(30))
            .withDescription("how long a cached translation is served after it was paid for");

    static final OptionRules RULES = new OptionRules()
            .check(TABLE, OptionRules.notEmpty())
            .check(TTL, OptionRules.positive());

    private CacheOptions() {}
}
