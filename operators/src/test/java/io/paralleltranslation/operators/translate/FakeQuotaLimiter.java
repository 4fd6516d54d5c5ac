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
    volatile boolean fallback;
    volatile boolean closed;

    FakeQuotaLimiter then(Acquisition acquisition) {
        script.add(CompletableFuture.completedFuture(acquisition));
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
                : CompletableFuture.completedFuture(Acquisition.granted(new Grant(GRANTED_AT, inputTokens)));
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
    public boolean inFallback() {
        return fallback;
    }

    @Override
    public void close() {
        closed = true;
    }
}
