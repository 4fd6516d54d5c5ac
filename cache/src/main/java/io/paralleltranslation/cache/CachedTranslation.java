package io.paralleltranslation.cache;

import java.time.Instant;
import java.util.Objects;

/** A paid-for translation as the cache keeps it: the answer and what it cost. Immutable. */
public final class CachedTranslation {
    private final String text;
    private final long inputTokens;
    private final long outputTokens;
    private final String finishReason;
    private final String modelVersion;
    private final Instant translatedAt;

    /**
     * @param finishReason may be null
     * @param modelVersion the model that answered, may be null when unknown
     * @param translatedAt when the paid call answered (millisecond precision is kept)
     */
    public CachedTranslation(String text, long inputTokens, long outputTokens, String finishReason,
            String modelVersion, Instant translatedAt) {
        this.text = Objects.requireNonNull(text, "text");
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.finishReason = finishReason;
        this.modelVersion = modelVersion;
        this.translatedAt = Instant.ofEpochMilli(Objects.requireNonNull(translatedAt, "translatedAt").toEpochMilli());
    }

    public String text() {
        return text;
    }

    public long inputTokens() {
        return inputTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    public String finishReason() {
        return finishReason;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public Instant translatedAt() {
        return translatedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CachedTranslation)) {
            return false;
        }
        CachedTranslation c = (CachedTranslation) o;
        return text.equals(c.text) && inputTokens == c.inputTokens && outputTokens == c.outputTokens
                && Objects.equals(finishReason, c.finishReason) && Objects.equals(modelVersion, c.modelVersion)
                && translatedAt.equals(c.translatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, inputTokens, outputTokens, finishReason, modelVersion, translatedAt);
    }

    @Override
    public String toString() {
        return "CachedTranslation{chars=" + text.length() + ", in=" + inputTokens + ", out=" + outputTokens
                + ", finish=" + finishReason + ", model=" + modelVersion + ", at=" + translatedAt + "}";
    }
}
