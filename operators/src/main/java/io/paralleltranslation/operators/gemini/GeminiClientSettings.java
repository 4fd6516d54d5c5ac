package io.paralleltranslation.operators.gemini;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the Gemini client needs except the API key (see {@link ApiKey}), so it can be part of
 * a Flink operator's serialized configuration. Build with {@link #builder()}; defaults suit
 * {@code gemini-2.5-flash}.
 */
public final class GeminiClientSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String baseUrl;
    private final String apiVersion;
    private final String defaultModel;
    private final Float temperature;
    private final Integer thinkingBudget;
    private final double outputTokensPerInputToken;
    private final int minOutputTokens;
    private final int maxOutputTokensCap;
    private final int dynamicThinkingAllowance;
    private final Duration requestTimeout;
    private final int maxConnections;
    private final int maxConnectionsPerHost;
    private final double charsPerToken;
    private final double estimateMargin;
    private final Duration fallbackRetryDelay;

    private GeminiClientSettings(Builder b) {
        this.baseUrl = b.baseUrl;
        this.apiVersion = b.apiVersion;
        this.defaultModel = b.defaultModel;
        this.temperature = b.temperature;
        this.thinkingBudget = b.thinkingBudget;
        this.outputTokensPerInputToken = b.outputTokensPerInputToken;
        this.minOutputTokens = b.minOutputTokens;
        this.maxOutputTokensCap = b.maxOutputTokensCap;
        this.dynamicThinkingAllowance = b.dynamicThinkingAllowance;
        this.requestTimeout = b.requestTimeout;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerHost = b.maxConnectionsPerHost;
        this.charsPerToken = b.charsPerToken;
        this.estimateMargin = b.estimateMargin;
        this.fallbackRetryDelay = b.fallbackRetryDelay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Null means Google's endpoint (or the SDK's {@code GOOGLE_GEMINI_BASE_URL}). */
    public String baseUrl() {
        return baseUrl;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public String defaultModel() {
        return defaultModel;
    }

    /** Null leaves the model's default. */
    public Float temperature() {
        return temperature;
    }

    /** Null leaves dynamic thinking on (2.5 Pro cannot turn thinking off; 0 turns it off on Flash). */
    public Integer thinkingBudget() {
        return thinkingBudget;
    }

    public double outputTokensPerInputToken() {
        return outputTokensPerInputToken;
    }

    public int minOutputTokens() {
        return minOutputTokens;
    }

    public int maxOutputTokensCap() {
        return maxOutputTokensCap;
    }

    /** Added to the output budget when {@link #thinkingBudget()} is null: thoughts count as output. */
    public int dynamicThinkingAllowance() {
        return dynamicThinkingAllowance;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerHost() {
        return maxConnectionsPerHost;
    }

    public double charsPerToken() {
        return charsPerToken;
    }

    public double estimateMargin() {
        return estimateMargin;
    }

    /** The wait for a 429 that carries neither RetryInfo nor "Please retry in" (per-day: until LA midnight). */
    public Duration fallbackRetryDelay() {
        return fallbackRetryDelay;
    }

    @Override
    public String toString() {
        return "GeminiClientSettings{baseUrl=" + (baseUrl == null ? "<google>" : baseUrl) + ", apiVersion=" + apiVersion
                + ", model=" + defaultModel + ", temperature=" + temperature + ", thinkingBudget=" + thinkingBudget
                + ", timeout=" + requestTimeout + ", maxConnectionsPerHost=" + maxConnectionsPerHost + "}";
    }

    /** Defaults: v1beta, gemini-2.5-flash, temperature 0.2, thinking off, 120 s, 10 connections per host. */
    public static final class Builder {
        private String baseUrl;
        private String apiVersion = "v1beta";
        private String defaultModel = "gemini-2.5-flash";
        private Float temperature = 0.2f;
        private Integer thinkingBudget = 0;
        private double outputTokensPerInputToken = 2.0;
        private int minOutputTokens = 1024;
        private int maxOutputTokensCap = 65_536;
        private int dynamicThinkingAllowance = 8_192;
        private Duration requestTimeout = Duration.ofSeconds(120);
        private int maxConnections = 64;
        private int maxConnectionsPerHost = 10;
        private double charsPerToken = 4.0;
        private double estimateMargin = 1.10;
        private Duration fallbackRetryDelay = Duration.ofSeconds(60);

        private Builder() {}

        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl == null || baseUrl.trim().isEmpty() ? null : baseUrl.trim();
            return this;
        }

        public Builder apiVersion(String apiVersion) {
            this.apiVersion = requireText(apiVersion, "apiVersion");
            return this;
        }

        public Builder defaultModel(String model) {
            this.defaultModel = requireText(model, "defaultModel");
            return this;
        }

        public Builder temperature(Float temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder thinkingBudget(Integer tokens) {
            this.thinkingBudget = tokens;
            return this;
        }

        /**
         * maxOutputTokens = clamp(ceil(textTokens * factor), min, cap) plus the thinking budget; a
         * translation rarely needs more than 1.5x its source's tokens, so 2.0 leaves room.
         */
        public Builder outputTokens(double perInputToken, int min, int cap) {
            if (perInputToken <= 0 || min < 1 || cap < min) {
                throw new IllegalArgumentException("output token sizing needs factor > 0 and 1 <= min <= cap");
            }
            this.outputTokensPerInputToken = perInputToken;
            this.minOutputTokens = min;
            this.maxOutputTokensCap = cap;
            return this;
        }

        public Builder dynamicThinkingAllowance(int tokens) {
            this.dynamicThinkingAllowance = Math.max(0, tokens);
            return this;
        }

        /** One call, end to end (SDK retries are off, so this is one HTTP exchange). */
        public Builder requestTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("requestTimeout must be positive and below 24 days");
            }
            this.requestTimeout = timeout;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder maxConnectionsPerHost(int maxConnectionsPerHost) {
            this.maxConnectionsPerHost = maxConnectionsPerHost;
            return this;
        }

        /**
         * Raises the connection limits to at least {@code capacity} concurrent calls: the SDK's OkHttp
         * default of 5 per host would otherwise queue half of an async operator's capacity-10 calls.
         */
        public Builder forCapacity(int capacity) {
            this.maxConnectionsPerHost = Math.max(maxConnectionsPerHost, capacity);
            this.maxConnections = Math.max(maxConnections, capacity);
            return this;
        }

        public Builder fallbackRetryDelay(Duration delay) {
            this.fallbackRetryDelay = Objects.requireNonNull(delay, "fallbackRetryDelay");
            return this;
        }

        public GeminiClientSettings build() {
            if (maxConnectionsPerHost < 1 || maxConnections < maxConnectionsPerHost) {
                throw new IllegalArgumentException("need 1 <= maxConnectionsPerHost <= maxConnections, got "
                        + maxConnectionsPerHost + " and " + maxConnections);
            }
            return new GeminiClientSettings(this);
        }

        private static String requireText(String value, String name) {
            if (value == null || value.trim().isEmpty()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
            return value.trim();
        }
    }
}
