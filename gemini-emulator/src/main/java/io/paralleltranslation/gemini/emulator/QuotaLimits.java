package io.paralleltranslation.gemini.emulator;

/** Per-model limits, like one Gemini project's: 0 means unlimited. TPM counts input tokens only. */
public final class QuotaLimits {
    public static final QuotaLimits UNLIMITED = new QuotaLimits(0, 0, 0);

    private final long requestsPerMinute;
    private final long inputTokensPerMinute;
    private final long requestsPerDay;

    public QuotaLimits(long requestsPerMinute, long inputTokensPerMinute, long requestsPerDay) {
        if (requestsPerMinute < 0 || inputTokensPerMinute < 0 || requestsPerDay < 0) {
            throw new IllegalArgumentException("quota limits must be >= 0 (0 = unlimited)");
        }
        this.requestsPerMinute = requestsPerMinute;
        this.inputTokensPerMinute = inputTokensPerMinute;
        this.requestsPerDay = requestsPerDay;
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

    @Override
    public String toString() {
        return "rpm=" + requestsPerMinute + ", tpm=" + inputTokensPerMinute + ", rpd=" + requestsPerDay;
    }
}
