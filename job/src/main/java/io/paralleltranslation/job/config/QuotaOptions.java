package io.paralleltranslation.job.config;

import io.paralleltranslation.ratelimit.QuotaConfig;
import java.time.Duration;
import java.time.ZoneId;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** {@code quota.*}: the one global Gemini quota every job shares. */
public final class QuotaOptions {
    public static final ConfigOption<Integer> RPM = ConfigOptions.key("quota.rpm").intType().defaultValue(10)
            .withDescription("requests per minute of the Gemini project and model");
    public static final ConfigOption<Long> TPM = ConfigOptions.key("quota.tpm").longType().defaultValue(250_000L)
            .withDescription("input tokens per minute");
    public static final ConfigOption<Integer> RPD = ConfigOptions.key("quota.rpd").intType().defaultValue(250)
            .withDescription("requests per day");
    public static final ConfigOption<String> DAY_ZONE = ConfigOptions.key("quota.day-zone").stringType()
            .defaultValue(QuotaConfig.DEFAULT_ZONE.getId())
            .withDescription("time zone (a tz database name) whose midnight resets the daily quota");
    public static final ConfigOption<Integer> INSTANCES = ConfigOptions.key("quota.instances").intType()
            .noDefaultValue()
            .withDescription("limiter instances sharing the quota item, summed over every job using it: one per "
                    + "TaskManager JVM running translate subtasks (the subtasks of a JVM share one limiter). Only "
                    + "matters while DynamoDB is unreachable: each instance then keeps to 1/instances of every "
                    + "limit. Unset: the job's parallelism, an upper bound on its JVMs");
    public static final ConfigOption<Duration> WINDOW_MARGIN = ConfigOptions.key("quota.window-margin")
            .durationType().defaultValue(QuotaConfig.DEFAULT_WINDOW_MARGIN)
            .withDescription("whole seconds added to the limiter's sliding minute: Gemini counts a call when it "
                    + "arrives, so calls whose grant-to-arrival delays differ by up to this much still fit its "
                    + "minute. The cost: a quota kept busy yields 60/(61+margin) of RPM and TPM per minute (1s: "
                    + "96.8%, 0s: 98.4%). Every job sharing the quota item must use the same value");
    public static final ConfigOption<Boolean> WINDOW_MARGIN_ZERO_ACKNOWLEDGED = ConfigOptions
            .key("quota.window-margin-zero-acknowledged").booleanType().defaultValue(false)
            .withDescription("true accepts quota.window-margin 0s, refused otherwise: the margin must cover the "
                    + "grant-to-arrival spread plus twice the clock skew between hosts (docs/rate-limiter.md)");

    static final OptionRules RULES = new OptionRules()
            .check(RPM, OptionRules.atLeast(1))
            .check(TPM, OptionRules.atLeast(1L))
            .check(RPD, OptionRules.atLeast(1))
            .parses(DAY_ZONE, "zone", ZoneId::of)
            .check(INSTANCES, OptionRules.atLeast(1))
            .check(WINDOW_MARGIN, v -> v.isNegative() || v.getNano() != 0 || v.compareTo(Duration.ofSeconds(60)) > 0
                    ? "must be whole seconds from 0s to 60s" : null);

    private QuotaOptions() {}
}
