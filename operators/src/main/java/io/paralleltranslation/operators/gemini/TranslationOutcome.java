package io.paralleltranslation.operators.gemini;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The classified answer of one model call. Messages never contain the API key. */
public final class TranslationOutcome {

    public enum Kind {
        /** Translated text is present. */
        SUCCESS,
        /** Refused for quota; retry after the server-given delay ({@link #retryDelay()}). */
        RETRY_AFTER,
        /** Transient failure (408, 5xx, I/O, timeout): retry with exponential backoff and jitter. */
        RETRY_BACKOFF,
        /**
         * Retrying cannot help (bad request, auth, unknown model, blocked prompt, a SAFETY /
         * RECITATION / PROHIBITED_CONTENT... finish, no candidates, and MAX_TOKENS truncation).
         */
        PERMANENT
    }

    /** Which quota a 429 names. */
    public enum QuotaKind {
        REQUESTS_PER_MINUTE,
        INPUT_TOKENS_PER_MINUTE,
        REQUESTS_PER_DAY,
        OTHER
    }

    private final Kind kind;
    private final String text;
    private final long promptTokens;
    private final long candidatesTokens;
    private final String finishReason;
    private final Duration retryDelay;
    private final QuotaKind quotaKind;
    private final int httpStatus;
    private final String reason;
    private String modelVersion;

    private TranslationOutcome(Kind kind, String text, long promptTokens, long candidatesTokens,
            String finishReason, Duration retryDelay, QuotaKind quotaKind, int httpStatus, String reason) {
        this.kind = kind;
        this.text = text;
        this.promptTokens = promptTokens;
        this.candidatesTokens = candidatesTokens;
        this.finishReason = finishReason;
        this.retryDelay = retryDelay;
        this.quotaKind = quotaKind;
        this.httpStatus = httpStatus;
        this.reason = reason;
    }

    public static TranslationOutcome success(String text, long promptTokens, long candidatesTokens,
            String finishReason) {
        return new TranslationOutcome(Kind.SUCCESS, Objects.requireNonNull(text, "text"), promptTokens,
                candidatesTokens, finishReason, null, null, 200, null);
    }

    public static TranslationOutcome retryAfter(Duration delay, QuotaKind quotaKind, int httpStatus, String reason) {
        return new TranslationOutcome(Kind.RETRY_AFTER, null, 0, 0, null,
                Objects.requireNonNull(delay, "delay"), Objects.requireNonNull(quotaKind, "quotaKind"),
                httpStatus, reason);
    }

    /** @param httpStatus 0 when no HTTP answer arrived (I/O error, timeout) */
    public static TranslationOutcome retryBackoff(int httpStatus, String reason) {
        return new TranslationOutcome(Kind.RETRY_BACKOFF, null, 0, 0, null, null, null, httpStatus, reason);
    }

    /**
     * @param promptTokens billed input tokens when the server answered (e.g. a SAFETY finish), else 0
     */
    public static TranslationOutcome permanent(int httpStatus, String finishReason, long promptTokens, String reason) {
        return new TranslationOutcome(Kind.PERMANENT, null, promptTokens, 0, finishReason, null, null,
                httpStatus, reason);
    }

    public Kind kind() {
        return kind;
    }

    public boolean isSuccess() {
        return kind == Kind.SUCCESS;
    }

    /** Present only on success. */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    /** Input tokens Gemini counted (usageMetadata.promptTokenCount); 0 when unknown. */
    public long promptTokens() {
        return promptTokens;
    }

    public long candidatesTokens() {
        return candidatesTokens;
    }

    public Optional<String> finishReason() {
        return Optional.ofNullable(finishReason);
    }

    /** Present only for {@link Kind#RETRY_AFTER}. */
    public Optional<Duration> retryDelay() {
        return Optional.ofNullable(retryDelay);
    }

    /** Present only for {@link Kind#RETRY_AFTER}. */
    public Optional<QuotaKind> quotaKind() {
        return Optional.ofNullable(quotaKind);
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The model version that answered (the response's {@code modelVersion}); null when unknown. */
    public String modelVersion() {
        return modelVersion;
    }

    /** This outcome, noting the model version that answered. */
    public TranslationOutcome withModelVersion(String version) {
        TranslationOutcome copy = new TranslationOutcome(kind, text, promptTokens, candidatesTokens, finishReason,
                retryDelay, quotaKind, httpStatus, reason);
        copy.modelVersion = version;
        return copy;
    }

    /** Human-readable cause for failures; null on success. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        switch (kind) {
            case SUCCESS:
                return "TranslationOutcome{SUCCESS, promptTokens=" + promptTokens + ", candidatesTokens="
                        + candidatesTokens + ", finish=" + finishReason + "}";
            case RETRY_AFTER:
                return "TranslationOutcome{RETRY_AFTER " + retryDelay + " (" + quotaKind + "), " + reason + "}";
            default:
                return "TranslationOutcome{" + kind + ", http=" + httpStatus + ", " + reason + "}";
        }
    }
}
