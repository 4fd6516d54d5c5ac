package io.paralleltranslation.operators.translate;

import io.paralleltranslation.ratelimit.Acquisition;
import io.paralleltranslation.ratelimit.Grant;
import io.paralleltranslation.ratelimit.QuotaLimiter;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/** Answers acquisitions from a script (granting past its end) and records what it is told. */
final class FakeQuotaLimiter implements QuotaLimiter {
    static final Instant GRANTED_AT = Instant.parse("2026-12-01T10:00:00Z");

    private final Deque<CompletableFuture<Acquisition>> script = new ConcurrentLinkedDeque<>();
    final List<Long> acquired = new CopyOnWriteArrayList<>();
    final List<String> reconciled = new CopyOnWriteArrayList<>();
    final List<Instant> pushbacks = new CopyOnWriteArrayList<>();
    /** Pushbacks made as refusals despite a grant (they lower the scope's limits). */
    final List<Instant> refusals = new CopyOnWriteArrayList<>();
    volatile boolean fallback;
    /** Reported by {@link #pausedUntil()} once, then cleared: a pause recorded after a grant. */
    volatile Instant pauseOnce = Instant.EPOCH;
    volatile boolean closed;
    private final java.time.Clock clock;

    /** Grants at {@link #GRANTED_AT}, the instant the tests' fixed clock reads. */
    FakeQuotaLimiter() {
        this(java.time.Clock.fixed(GRANTED_AT, java.time.ZoneOffset.UTC));
    }

    /** Grants at {@code clock}'s instant: fresh grants for a function on a real clock. */
    FakeQuotaLimiter(java.time.Clock clock) {
        this.clock = clock;
    }

    FakeQuotaLimiter then(Acquisition acquisition) {
        script.add(CompletableFuture.completedFuture(acquisition));
        return this;
    }

    /** The next acquisition is this future, completed (on a thread of its choosing) by the test. */
    FakeQuotaLimiter thenLater(CompletableFuture<Acquisition> decision) {
        script.add(decision);
        return this;
    }

    FakeQuotaLimiter thenFail(RuntimeException error) {
        script.add(CompletableFuture.failedFuture(error));
        return this;
    }

    @Override
    public CompletableFuture<Acquisition> acquire(long inputTokens) {
        acquired.add(inputTokens);
        CompletableFuture<Acquisition> next = script.poll();
        return next != null ? next
                : CompletableFuture.completedFuture(Acquisition.granted(new Grant(clock.instant(), inputTokens)));
    }

    @Override
    public CompletableFuture<Void> reconcile(Grant grant, long actualInputTokens) {
        reconciled.add(grant.inputTokens() + "->" + actualInputTokens);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> pushback(Instant pausedUntil) {
        pushbacks.add(pausedUntil);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> refusedDespiteGrant(Instant pausedUntil) {
        refusals.add(pausedUntil);
        return pushback(pausedUntil);
    }

    @Override
    public Instant pausedUntil() {
        Instant paused = pauseOnce;
        pauseOnce = Instant.EPOCH;
        return paused;
    }

    @Override
    public boolean inFallback() {
        return fallback;
    }

    @Override
    public void close() {
        closed = true;
    }
}
