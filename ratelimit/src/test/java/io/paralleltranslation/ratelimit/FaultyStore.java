package io.paralleltranslation.ratelimit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Wraps a real store and fails the way DynamoDB does, partly: unreachable, reads working while
 * writes fail, throttling, and writes applied whose answers are lost.
 */
final class FaultyStore implements QuotaStore {
    private final QuotaStore delegate;
    volatile boolean failReads;
    volatile boolean failWrites;
    volatile boolean throttleWrites;
    /** The next n writes are applied, then fail as a timeout would: the writer never learns. */
    final AtomicInteger loseAnswers = new AtomicInteger();
    /**
     * The next n writes are applied, their answers lost, and retried as the SDK does: the retry
     * finds the version moved on (by itself) and reports a conflict.
     */
    final AtomicInteger retryAfterApplying = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    /** While set and not complete, writes wait for it before they reach the store: a write in flight. */
    volatile CompletableFuture<Void> holdWrites;
    final AtomicInteger writes = new AtomicInteger();
    /** Of {@link #writes}: those that were increments. */
    final AtomicInteger increments = new AtomicInteger();

    FaultyStore(QuotaStore delegate) {
        this.delegate = delegate;
    }

    void failAll(boolean failing) {
        failReads = failing;
        failWrites = failing;
    }

    @Override
    public CompletableFuture<WindowState> read(String scope) {
        reads.incrementAndGet();
        return failReads ? failed(new IllegalStateException("store unreachable (test)")) : delegate.read(scope);
    }

    @Override
    public CompletableFuture<WriteResult> write(String scope, long expectedVersion, WindowState next,
            long expiresAtEpochSecond) {
        writes.incrementAndGet();
        return faulty(() -> delegate.write(scope, expectedVersion, next, expiresAtEpochSecond));
    }

    @Override
    public CompletableFuture<WriteResult> increment(String scope, SlotIncrement increment) {
        writes.incrementAndGet();
        increments.incrementAndGet();
        return faulty(() -> delegate.increment(scope, increment));
    }

    /** Both kinds of write fail alike; {@code attempt} sends the same request again, as the SDK's retry does. */
    private CompletableFuture<WriteResult> faulty(Supplier<CompletableFuture<WriteResult>> attempt) {
        CompletableFuture<Void> hold = holdWrites;
        if (hold != null && !hold.isDone()) {
            return hold.thenCompose(released -> faulty(attempt));
        }
        if (throttleWrites) {
            return failed(new StoreThrottledException("throttled (test)", null));
        }
        if (failWrites) {
            return failed(new IllegalStateException("write refused (test)"));
        }
        if (loseAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return attempt.get().thenCompose(applied -> failed(new IllegalStateException("answer lost (test)")));
        }
        if (retryAfterApplying.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return attempt.get().thenCompose(applied -> attempt.get());
        }
        return attempt.get();
    }

    private static <T> CompletableFuture<T> failed(RuntimeException e) {
        return CompletableFuture.failedFuture(new CompletionException(e));
    }
}
