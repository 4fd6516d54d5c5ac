package io.paralleltranslation.job.config;

import io.paralleltranslation.operators.cost.GeminiPrices;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** {@code gemini.*}: the model the job calls and how. */
public final class GeminiOptions {
    public static final ConfigOption<String> BASE_URL = ConfigOptions.key("gemini.base-url").stringType()
            .noDefaultValue()
            .withDescription("Gemini API base URL (the emulator locally); unset: Google's endpoint");
    public static final ConfigOption<String> API_VERSION = ConfigOptions.key("gemini.api-version").stringType()
            .defaultValue("v1beta").withDescription("API version path segment the SDK calls");
    public static final ConfigOption<String> MODEL = ConfigOptions.key("gemini.model").stringType()
            .defaultValue("gemini-2.5-flash").withDescription("default model; a chunk record's model overrides it");
    public static final ConfigOption<String> API_KEY_SOURCE = ConfigOptions.key("gemini.api-key-source")
            .stringType().defaultValue("env:GEMINI_API_KEY")
            .withDescription("where the API key comes from: env:NAME, secretsmanager:ID or literal:KEY; literal: "
                    + "only with a loopback base-url (the emulator); masked in logs");
    public static final ConfigOption<Double> TEMPERATURE = ConfigOptions.key("gemini.temperature").doubleType()
            .defaultValue(0.2).withDescription("sampling temperature");
    public static final ConfigOption<Integer> THINKING_BUDGET = ConfigOptions.key("gemini.thinking-budget").intType()
            .defaultValue(0).withDescription("thinking tokens per call; 0 turns thinking off, -1 lets the model decide");
    public static final ConfigOption<Duration> REQUEST_TIMEOUT = ConfigOptions.key("gemini.request-timeout")
            .durationType().defaultValue(Duration.ofSeconds(120))
            .withDescription("timeout of one Gemini call (a retryable outcome)");
    public static final ConfigOption<String> PRICES = ConfigOptions.key("gemini.prices").stringType()
            .defaultValue(GeminiPrices.DEFAULT_TABLE)
            .withDescription("USD per million input/output tokens per model (MODEL=IN/OUT,...), for each status "
                    + "record's estimatedCostUsd; replaces the whole table. Defaults: Google's paid-tier list prices "
                    + "read 2026-09-20 (docs/cost.md); on the free tier set e.g. gemini-2.5-flash=0/0");

    static final OptionRules RULES = new OptionRules()
            .parses(BASE_URL, "url", OptionRules::parseUrl)
            .secret(API_KEY_SOURCE)
            .parses(API_KEY_SOURCE, "env:NAME|secretsmanager:ID|literal:KEY", ApiKeySource::parse)
            .check(TEMPERATURE, v -> Double.isFinite(v) ? null : "must be a finite number")
            .check(TEMPERATURE, OptionRules.between(0.0, 2.0))
            .check(THINKING_BUDGET, OptionRules.atLeast(-1))
            .check(REQUEST_TIMEOUT, OptionRules.positive())
            .parses(PRICES, "MODEL=IN/OUT,...", GeminiPrices::parse);

    private GeminiOptions() {}
}
