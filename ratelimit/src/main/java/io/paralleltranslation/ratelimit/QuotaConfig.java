package io.paralleltranslation.ratelimit;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One quota scope and its limits: requests per sliding minute, input tokens per sliding minute,
 * requests per calendar day in {@link #zone()}. {@link #instances()} is P, the number of limiter
 * instances sharing the scope: while the shared store is unreachable each one keeps to 1/P.
 */
public final class QuotaConfig {
    /** Gemini resets its per-day quotas at midnight Pacific time. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/Los_Angeles");

    private final String scope;
    private final long requestsPerMinute;
    private final long inputTokensPerMinute;
    private final long requestsPerDay;
    private final ZoneId zone;
    private final int instances;
    private final Duration probeInterval;

    private QuotaConfig(Builder b) {
        this.scope = requireText(b.scope);
        this.requestsPerMinute = requireNonNegative(b.requestsPerMinute, "requestsPerMinute");
        this.inputTokensPerMinute = requireNonNegative(b.inputTokensPerMinute, "inputTokensPerMinute");
        this.requestsPerDay = requireNonNegative(b.requestsPerDay, "requestsPerDay");
        this.zone = Objects.requireNonNull(b.zone, "zone");
        if (b.instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1, was " + b.instances);
        }
        this.instances = b.instances;
        if (b.probeInterval.isNegative() || b.probeInterval.isZero()) {
            throw new IllegalArgumentException("probeInterval must be positive, was " + b.probeInterval);
        }
        this.probeInterval = b.probeInterval;
    }

    public static Builder builder(String scope) {
        return new Builder(scope);
    }

    /** The scope key of a Gemini quota: {@code gemini#<project>#<model>}. */
    public static String geminiScope(String project, String model) {
        return "gemini#" + requireText(project) + "#" + requireText(model);
    }

    public String scope() {
        return scope;
    }

    public long requestsPerMinute() {
        return requestsPerMinute;
    }

    public long inputTokensPerMinute() {
        return inputTokensPerMinute;
    }

    public long requestsPerDay() {
        return requestsPerDay;
    }

    public ZoneId zone() {
        return zone;
    }

    public int instances() {
        return instances;
    }

    /** How often an instance in fallback tries the shared store again. */
    public Duration probeInterval() {
        return probeInterval;
    }

    Limits limits() {
        return new Limits(requestsPerMinute, inputTokensPerMinute, requestsPerDay);
    }

    /** This instance's 1/P share, rounded down so that P shares never add up to more than the quota. */
    Limits fallbackShare() {
        return new Limits(requestsPerMinute / instances, inputTokensPerMinute / instances,
                requestsPerDay / instances);
    }

    @Override
    public String toString() {
        return "QuotaConfig{scope=" + scope + ", rpm=" + requestsPerMinute + ", tpm=" + inputTokensPerMinute
                + ", rpd=" + requestsPerDay + ", zone=" + zone + ", instances=" + instances + "}";
    }

    private static String requireText(String s) {
        if (s == null || s.trim().isEmpty()) {
            throw new IllegalArgumentException("a quota scope part must not be empty");
        }
        return s;
    }

    private static long requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    /** Builds a {@link QuotaConfig}; every limit must be set. */
    public static final class Builder {
        private final String scope;
        private long requestsPerMinute = -1;
        private long inputTokensPerMinute = -1;
        private long requestsPerDay = -1;
        private ZoneId zone = DEFAULT_ZONE;
        private int instances = 1;
        private Duration probeInterval = Duration.ofSeconds(5);

        private Builder(String scope) {
            this.scope = scope;
        }

        public Builder requestsPerMinute(long value) {
            this.requestsPerMinute = value;
            return this;
        }

        public Builder inputTokensPerMinute(long value) {
            this.inputTokensPerMinute = value;
            return this;
        }

        public Builder requestsPerDay(long value) {
            this.requestsPerDay = value;
            return this;
        }

        public Builder zone(ZoneId value) {
            this.zone = value;
            return this;
        }

        public Builder instances(int value) {
            this.instances = value;
            return this;
        }

        public Builder probeInterval(Duration value) {
            this.probeInterval = Objects.requireNonNull(value, "probeInterval");
            return this;
        }

        public QuotaConfig build() {
            return new QuotaConfig(this);
        }
    }
}
