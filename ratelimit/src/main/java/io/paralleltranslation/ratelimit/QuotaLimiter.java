package io.paralleltranslation.ratelimit;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One quota (requests per minute, input tokens per minute, requests per day) shared by every
 * caller that uses the same scope, wherever it runs. No method blocks the calling thread.
 */
public interface QuotaLimiter extends AutoCloseable {

    /**
     * Takes one request and {@code inputTokens} estimated input tokens from every dimension at
     * once, or nothing. A denial says when to try again; it never waits for capacity itself.
     */
    CompletableFuture<Acquisition> acquire(long inputTokens);

    /** Corrects a grant's estimate with the true input token count: refunds or debits the difference. */
    CompletableFuture<Void> reconcile(Grant grant, long actualInputTokens);

    /**
     * Records that the quota owner refused a call despite the limiter (others share the quota):
     * every caller of this scope is denied until {@code pausedUntil}.
     */
    CompletableFuture<Void> pushback(Instant pausedUntil);

    /**
     * What the quota can still give today, read from the shared store without taking anything
     * (one read, no write). Fails when the store cannot answer or the limiter cannot tell.
     */
    default CompletableFuture<QuotaOutlook> outlook() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no quota outlook from "
                + getClass().getSimpleName()));
    }

    /** True while the shared store is unreachable and this instance limits itself to its 1/P share. */
    boolean inFallback();

    @Override
    void close();
}
