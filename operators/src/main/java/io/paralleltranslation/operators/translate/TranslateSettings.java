package io.paralleltranslation.operators.translate;

import java.io.Serializable;
import java.time.Duration;

/** Retry rules of {@link TranslateChunkFunction}. Immutable. */
public final class TranslateSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final int DEFAULT_MAX_QUOTA_REFUSALS = 20;
    public static final Duration DEFAULT_CHUNK_TIMEOUT = Duration.ofMinutes(30);

    private final long backoffBaseMillis;
    private final long backoffCapMillis;
    private final int maxAttempts;
    private final int maxQuotaRefusals;
    private final long chunkTimeoutMillis;

    /**
     * @param backoffBase ceiling of the first transient-failure delay; doubles per failure
     * @param backoffCap largest ceiling of a transient-failure delay
     * @param maxAttempts model calls that fail transiently (5xx, I/O, timeout) before the chunk fails
     * @param maxQuotaRefusals 429 answers retried for one chunk; the next one fails it (the limiter should make
     *     these rare; a chunk refused this often is stuck behind a quota someone else spends)
     */
    public TranslateSettings(Duration backoffBase, Duration backoffCap, int maxAttempts, int maxQuotaRefusals) {
        if (backoffBase.isNegative() || backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("need 0 <= backoffBase <= backoffCap, got " + backoffBase
                    + " and " + backoffCap);
        }
        if (maxAttempts < 1 || maxQuotaRefusals < 0) {
            throw new IllegalArgumentException("need maxAttempts >= 1 and maxQuotaRefusals >= 0, got "
                    + maxAttempts + " and " + maxQuotaRefusals);
        }
        this.backoffBaseMillis = backoffBase.toMillis();
        this.backoffCapMillis = backoffCap.toMillis();
        this.maxAttempts = maxAttempts;
        this.maxQuotaRefusals = maxQuotaRefusals;
        this.chunkTimeoutMillis = DEFAULT_CHUNK_TIMEOUT.toMillis();
    }

    private TranslateSettings(TranslateSettings other, long chunkTimeoutMillis) {
        this.backoffBaseMillis = other.backoffBaseMillis;
        this.backoffCapMillis = other.backoffCapMillis;
        this.maxAttempts = other.maxAttempts;
        this.maxQuotaRefusals = other.maxQuotaRefusals;
        this.chunkTimeoutMillis = chunkTimeoutMillis;
    }

    /**
     * These rules with another bound on a chunk's active work: from its arrival, minus the time it
     * was parked for the daily quota's reset.
     */
    public TranslateSettings withChunkTimeout(Duration chunkTimeout) {
        if (chunkTimeout.isNegative() || chunkTimeout.isZero()) {
            throw new IllegalArgumentException("chunkTimeout must be positive, got " + chunkTimeout);
        }
        return new TranslateSettings(this, chunkTimeout.toMillis());
    }

    public Duration chunkTimeout() {
        return Duration.ofMillis(chunkTimeoutMillis);
    }

    public static TranslateSettings defaults() {
        return new TranslateSettings(DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP, DEFAULT_MAX_ATTEMPTS,
                DEFAULT_MAX_QUOTA_REFUSALS);
    }

    public Duration backoffBase() {
        return Duration.ofMillis(backoffBaseMillis);
    }

    public Duration backoffCap() {
        return Duration.ofMillis(backoffCapMillis);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public int maxQuotaRefusals() {
        return maxQuotaRefusals;
    }

    /**
     * Exponential backoff with full jitter: uniform in {@code [0, min(cap, base * 2^(failures-1)))}.
     * Full jitter spreads the retries of many subtasks that failed together.
     *
     * @param failures consecutive transient failures so far, at least 1
     * @param random uniform in [0, 1)
     */
    public long backoffMillis(int failures, double random) {
        int doublings = Math.min(Math.max(failures - 1, 0), 62);
        long ceiling = backoffBaseMillis > (backoffCapMillis >> doublings) ? backoffCapMillis
                : Math.min(backoffCapMillis, backoffBaseMillis << doublings);
        return (long) (ceiling * random);
    }

    @Override
    public String toString() {
        return "TranslateSettings{backoffBase=" + backoffBaseMillis + "ms, backoffCap=" + backoffCapMillis
                + "ms, maxAttempts=" + maxAttempts + ", maxQuotaRefusals=" + maxQuotaRefusals + ", chunkTimeout="
                + chunkTimeoutMillis + "ms}";
    }
}
