package io.paralleltranslation.gemini.emulator;

import java.time.Duration;

/** One exceeded limit, as a QuotaFailure violation of a 429 body describes it. */
public final class QuotaViolation {
    /** Which of the three per-model limits. */
    public enum Kind {
        REQUESTS_PER_MINUTE("GenerateRequestsPerMinutePerProjectPerModel", "requests"),
        INPUT_TOKENS_PER_MINUTE("GenerateContentInputTokensPerModelPerMinute", "input_token_count"),
        REQUESTS_PER_DAY("GenerateRequestsPerDayPerProjectPerModel", "requests");

        private final String quotaIdBase;
        private final String metricSuffix;

        Kind(String quotaIdBase, String metricSuffix) {
            this.quotaIdBase = quotaIdBase;
            this.metricSuffix = metricSuffix;
        }

        /** Gemini's quota id; free tiers carry the {@code -FreeTier} suffix, paid tiers do not. */
        public String quotaId(boolean freeTier) {
            return freeTier ? quotaIdBase + "-FreeTier" : quotaIdBase;
        }

        public String quotaMetric(boolean freeTier) {
            return "generativelanguage.googleapis.com/generate_content_" + (freeTier ? "free" : "paid")
                    + "_tier_" + metricSuffix;
        }
    }

    private final Kind kind;
    private final String quotaId;
    private final String quotaMetric;
    private final long limit;
    private final String model;
    private final Duration retryAfter;

    QuotaViolation(Kind kind, boolean freeTier, long limit, String model, Duration retryAfter) {
        this.kind = kind;
        this.quotaId = kind.quotaId(freeTier);
        this.quotaMetric = kind.quotaMetric(freeTier);
        this.limit = limit;
        this.model = model;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public String quotaId() {
        return quotaId;
    }

    public String quotaMetric() {
        return quotaMetric;
    }

    public long limit() {
        return limit;
    }

    public String model() {
        return model;
    }

    /** When this limit would admit the request, measured from the refusal. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
