package io.paralleltranslation.ratelimit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
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
     * A call the limiter granted was refused for quota all the same (a per-minute 429): pauses like
     * {@link #pushback}, and may also lower the scope's effective limits for a while, for every
     * worker. The default only pauses.
     */
    default CompletableFuture<Void> refusedDespiteGrant(Instant pausedUntil) {
        return pushback(pausedUntil);
    }

    /**
     * The latest pause this instance knows of: its own pushbacks at once, the others' as of the
     * item it last read or wrote. A caller holding a grant planned before a pause checks this just
     * before sending, and plans the grant again instead of spending it into the pause.
     */
    default Instant pausedUntil() {
        return Instant.EPOCH;
    }

    /**
     * The first midnight after {@code instant} in the quota's zone (its per-day quota resets there).
     * A per-day refusal pauses until the midnight after the refused call was sent.
     */
    default Instant nextDayStart(Instant instant) {
        ZoneId zone = QuotaConfig.DEFAULT_ZONE;
        return LocalDate.ofInstant(instant, zone).plusDays(1).atStartOfDay(zone).toInstant();
    }

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

    /**
     * What the limiter has reported so far (every {@link LimiterListener} signal, counted), for
     * metrics; shared by every handle on one shared limiter. Empty if it keeps no counts.
     */
    default Optional<LimiterCounters> counters() {
        return Optional.empty();
    }

    @Override
    void close();
}
