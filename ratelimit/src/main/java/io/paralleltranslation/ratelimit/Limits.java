package io.paralleltranslation.ratelimit;

/** The three limits a window is checked against: the full quota, or a fallback share of it. */
final class Limits {
    final long requestsPerMinute;
    final long inputTokensPerMinute;
    final long requestsPerDay;

    Limits(long requestsPerMinute, long inputTokensPerMinute, long requestsPerDay) {
        this.requestsPerMinute = requestsPerMinute;
        this.inputTokensPerMinute = inputTokensPerMinute;
        this.requestsPerDay = requestsPerDay;
    }

    /** The dimension a single request of {@code inputTokens} exceeds on its own, or null. */
    QuotaDimension exceededAlone(long inputTokens) {
        if (requestsPerMinute < 1) {
            return QuotaDimension.REQUESTS_PER_MINUTE;
        }
        if (requestsPerDay < 1) {
            return QuotaDimension.REQUESTS_PER_DAY;
        }
        if (inputTokens > inputTokensPerMinute) {
            return QuotaDimension.INPUT_TOKENS_PER_MINUTE;
        }
        return null;
    }
}
