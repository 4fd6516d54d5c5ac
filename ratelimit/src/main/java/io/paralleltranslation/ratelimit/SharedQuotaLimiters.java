package io.paralleltranslation.ratelimit;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One limiter per key per JVM (per class loader, so per job in a Flink session cluster), shared by
 * every caller that asks for it: e.g. all subtasks of an operator on one TaskManager. A shared
 * limiter batches all their acquires into few store writes, where one limiter per subtask would
 * race the others for the same item.
 */
public final class SharedQuotaLimiters {
    private static final Map<String, Shared> LIMITERS = new HashMap<>();

    private SharedQuotaLimiters() {}

    /**
     * A handle on the JVM's limiter for {@code key}, built by {@code factory} if there is none.
     * Close the handle when done; closing the last handle closes the limiter.
     */
    public static QuotaLimiter get(String key, Supplier<? extends QuotaLimiter> factory) {
        Objects.requireNonNull(key, "key");
        synchronized (LIMITERS) {
            Shared shared = LIMITERS.get(key);
            if (shared == null) {
                shared = new Shared(key, Objects.requireNonNull(factory.get(), "factory made no limiter"));
                LIMITERS.put(key, shared);
            }
            shared.handles++;
            return new Handle(shared);
        }
    }

    private static void release(Shared shared) {
        synchronized (LIMITERS) {
            if (--shared.handles > 0) {
                return;
            }
            LIMITERS.remove(shared.key);
        }
        shared.limiter.close();
    }

    private static final class Shared {
        final String key;
        final QuotaLimiter limiter;
        int handles;

        Shared(String key, QuotaLimiter limiter) {
            this.key = key;
            this.limiter = limiter;
        }
    }

    /** Delegates to the shared limiter until closed; closes at most once. */
    private static final class Handle implements QuotaLimiter {
        private final Shared shared;
        private final AtomicBoolean closed = new AtomicBoolean();

        Handle(Shared shared) {
            this.shared = shared;
        }

        @Override
        public CompletableFuture<Acquisition> acquire(long inputTokens) {
            return live().acquire(inputTokens);
        }

        @Override
        public CompletableFuture<Void> reconcile(Grant grant, long actualInputTokens) {
            return live().reconcile(grant, actualInputTokens);
        }

        @Override
        public CompletableFuture<Void> pushback(Instant pausedUntil) {
            return live().pushback(pausedUntil);
        }

        @Override
        public CompletableFuture<QuotaOutlook> outlook() {
            return live().outlook();
        }

        @Override
        public boolean inFallback() {
            return shared.limiter.inFallback();
        }

        @Override
        public CompletableFuture<Void> refusedDespiteGrant(Instant pausedUntil) {
            return live().refusedDespiteGrant(pausedUntil);
        }

        @Override
        public Instant pausedUntil() {
            return shared.limiter.pausedUntil();
        }

        @Override
        public Instant nextDayStart(Instant instant) {
            return shared.limiter.nextDayStart(instant);
        }

        @Override
        public Optional<LimiterCounters> counters() {
            return shared.limiter.counters();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(shared);
            }
        }

        private QuotaLimiter live() {
            if (closed.get()) {
                throw new IllegalStateException("this handle on the quota limiter " + shared.key + " is closed");
            }
            return shared.limiter;
        }
    }
}
