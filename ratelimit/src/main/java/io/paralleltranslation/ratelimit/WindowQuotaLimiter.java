package io.paralleltranslation.ratelimit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link QuotaLimiter} over a sliding window of one-second slots kept in one {@link QuotaStore}
 * item per scope.
 *
 * <p>Everything this instance is asked (acquires, reconciles, pushbacks) queues up and is decided
 * on its own thread, in batches: a batch is planned on the last state this instance saw and
 * written with ONE conditional write on that state's version, so every request in it takes all of
 * its dimensions or nothing. A lost race brings back the state that won and the batch is planned
 * again; denials need no write at all. When the store fails, the instance keeps to its 1/P share
 * of every limit in memory, and probes the store every {@link QuotaConfig#probeInterval()}.
 */
public final class WindowQuotaLimiter implements QuotaLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(WindowQuotaLimiter.class);
    private static final long BACKOFF_BASE_MICROS = 1_000;
    private static final long BACKOFF_MAX_MICROS = 500_000;

    private final QuotaStore store;
    private final QuotaConfig config;
    private final String scope;
    private final ZoneId zone;
    private final Limits limits;
    private final Limits share;
    /** Slots the window checks, margin included. */
    private final int window;
    private final Clock clock;
    private final LimiterListener listener;
    private final AutoCloseable resource;
    private final ScheduledExecutorService executor;

    private final Object queueLock = new Object();
    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    /** A drain is queued or running, or a write is in flight: nothing else may start one. */
    private boolean draining;
    private boolean closed;

    // Below: touched only on the executor thread.
    private WindowState cached = WindowState.empty();
    private int conflictsInRow;
    private volatile boolean fallback;
    private WindowState local;
    /** What this instance granted or changed in fallback, not yet merged into the store's item. */
    private WindowState unsynced = WindowState.empty();
    private Instant nextProbe = Instant.MIN;
    private boolean probing;

    private WindowQuotaLimiter(Builder b) {
        this.store = b.store;
        this.config = b.config;
        this.scope = config.scope();
        this.zone = config.zone();
        this.limits = config.limits();
        this.share = config.fallbackShare();
        this.window = config.windowSlots();
        this.clock = b.clock;
        this.listener = b.listener;
        this.resource = b.resource;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "quota-limiter-" + scope);
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Builder builder(QuotaStore store, QuotaConfig config) {
        return new Builder(store, config);
    }

    public QuotaConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<Acquisition> acquire(long inputTokens) {
        if (inputTokens < 0) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("inputTokens must not be negative, was " + inputTokens));
        }
        QuotaDimension alone = limits.exceededAlone(inputTokens);
        if (alone != null) {
            listener.onDenied(alone);
            return CompletableFuture.completedFuture(Acquisition.neverGrantable(alone));
        }
        Op op = new Op(OpKind.ACQUIRE, inputTokens, null);
        submit(op);
        return op.acquisition;
    }

    @Override
    public CompletableFuture<Void> reconcile(Grant grant, long actualInputTokens) {
        if (grant == null || actualInputTokens < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "reconcile needs a grant and a non-negative token count, got " + grant + ", " + actualInputTokens));
        }
        if (actualInputTokens == grant.inputTokens()) {
            return CompletableFuture.completedFuture(null);
        }
        Op op = new Op(OpKind.RECONCILE, actualInputTokens, grant);
        submit(op);
        return op.done;
    }

    @Override
    public CompletableFuture<Void> pushback(Instant pausedUntil) {
        Op op = new Op(OpKind.PUSHBACK, Objects.requireNonNull(pausedUntil, "pausedUntil").toEpochMilli(), null);
        submit(op);
        return op.done;
    }

    @Override
    public CompletableFuture<QuotaOutlook> outlook() {
        Instant now = clock.instant();
        return guarded(() -> store.read(scope)).thenApply(state -> QuotaOutlook.of(config, state, now));
    }

    @Override
    public boolean inFallback() {
        return fallback;
    }

    @Override
    public void close() {
        List<Op> left;
        synchronized (queueLock) {
            if (closed) {
                return;
            }
            closed = true;
            left = new ArrayList<>(queue);
            queue.clear();
        }
        failClosed(left);
        executor.shutdownNow();
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing the store client of quota {} failed", scope, e);
            }
        }
    }

    private void submit(Op op) {
        synchronized (queueLock) {
            if (!closed) {
                queue.addLast(op);
                if (!draining) {
                    draining = true;
                    runOnExecutor(this::drain, List.of(op));
                }
                return;
            }
        }
        failClosed(List.of(op));
    }

    /** Puts ops back at the head of the queue, in their order, to be planned again. */
    private void requeue(List<Op> ops) {
        synchronized (queueLock) {
            if (!closed) {
                for (int i = ops.size() - 1; i >= 0; i--) {
                    queue.addFirst(ops.get(i));
                }
                return;
            }
        }
        failClosed(ops);
    }

    private void drain() {
        while (true) {
            List<Op> batch;
            synchronized (queueLock) {
                if (queue.isEmpty()) {
                    draining = false;
                    return;
                }
                batch = new ArrayList<>(queue);
                queue.clear();
            }
            Instant now = clock.instant();
            if (fallback) {
                serveLocally(batch, now);
                maybeProbe(now);
            } else if (writeBatch(batch, now)) {
                return;
            }
        }
    }

    /** Plans the batch on the cached state; true if a write is now in flight (it drains on). */
    private boolean writeBatch(List<Op> batch, Instant now) {
        long second = cached.effectiveSecond(now, zone);
        WindowState next = cached.advancedTo(second, zone, window);
        List<Op> pending = new ArrayList<>();
        long debits = 0;
        for (Op op : batch) {
            switch (op.kind) {
                case ACQUIRE:
                    WindowState.Denial denial = next.check(now, second, op.amount, limits, zone, window);
                    if (denial != null) {
                        deny(op, denial.retryAt, denial.dimension);
                        continue;
                    }
                    next = next.plusGrant(second, op.amount);
                    op.provisional = new Grant(grantInstant(now, second), op.amount);
                    break;
                case RECONCILE:
                    long delta = op.amount - op.grant.inputTokens();
                    debits += Math.max(0, delta);
                    next = next.adjustTokens(op.grant.grantedAt().getEpochSecond(), delta, second);
                    break;
                case PUSHBACK:
                    if (op.amount <= next.pausedUntil().toEpochMilli()) {
                        op.done.complete(null);
                        continue;
                    }
                    next = next.pausedUntil(op.amount);
                    break;
                default:
                    next = next.merged(unsynced, second, window);
                    break;
            }
            pending.add(op);
        }
        if (pending.isEmpty()) {
            return false;
        }
        WindowState written = next.withVersion(cached.version() + 1);
        // Only what this batch's debits put above the limit: an older excess was reported already.
        long overLimit = Math.min(debits, written.tokensInWindow(second, window) - limits.inputTokensPerMinute);
        long expected = cached.version();
        guarded(() -> store.write(scope, expected, written, written.expiresAtEpochSecond(zone, window)))
                .whenComplete((result, failure) -> runOnExecutor(
                        () -> afterWrite(pending, written, overLimit, result, failure), pending));
        return true;
    }

    private void afterWrite(List<Op> pending, WindowState written, long overLimit,
            QuotaStore.WriteResult result, Throwable failure) {
        if (failure != null) {
            listener.onStoreCalls(1);
            enterFallback(failure);
            requeue(pending);
            drain();
            return;
        }
        listener.onStoreCalls(result.calls());
        if (!result.isWritten()) {
            cached = result.current();
            conflictsInRow++;
            listener.onConditionalFailure();
            requeue(pending);
            long bound = Math.min(BACKOFF_MAX_MICROS, BACKOFF_BASE_MICROS << Math.min(conflictsInRow - 1, 10));
            long delay = ThreadLocalRandom.current().nextLong(bound + 1);
            try {
                executor.schedule(this::drain, delay, TimeUnit.MICROSECONDS);
            } catch (RejectedExecutionException closing) {
                failClosed(pending);
            }
            return;
        }
        cached = written;
        conflictsInRow = 0;
        if (overLimit > 0) {
            LOG.warn("Quota {}: reconciled input tokens exceed TPM by {} in the current window; "
                    + "grants wait until it has passed", scope, overLimit);
            listener.onOverDebit(overLimit);
        }
        for (Op op : pending) {
            complete(op);
        }
        drain();
    }

    private void complete(Op op) {
        switch (op.kind) {
            case ACQUIRE:
                listener.onGranted(op.provisional);
                op.acquisition.complete(Acquisition.granted(op.provisional));
                break;
            case MERGE:
                unsynced = WindowState.empty();
                break;
            default:
                op.done.complete(null);
                break;
        }
    }

    private void deny(Op op, Instant retryAt, QuotaDimension dimension) {
        listener.onDenied(dimension);
        op.acquisition.complete(Acquisition.denied(retryAt, dimension));
    }

    private void enterFallback(Throwable failure) {
        if (fallback) {
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        LOG.warn("Quota {}: the shared store failed ({}); keeping to 1/{} of every limit in memory until it "
                + "answers again", scope, cause.toString(), config.instances());
        fallback = true;
        // Start from the last global state seen: what the others granted lately still counts.
        local = cached;
        nextProbe = clock.instant().plus(config.probeInterval());
        listener.onFallbackChanged(true);
    }

    private void serveLocally(List<Op> batch, Instant now) {
        long second = local.effectiveSecond(now, zone);
        local = local.advancedTo(second, zone, window);
        for (Op op : batch) {
            switch (op.kind) {
                case ACQUIRE:
                    WindowState.Denial denial = local.check(now, second, op.amount, share, zone, window);
                    if (denial == null) {
                        local = local.plusGrant(second, op.amount);
                        unsynced = unsynced.plusDelta(second, 1, op.amount, local.day(), window);
                        Grant grant = new Grant(grantInstant(now, second), op.amount);
                        listener.onGranted(grant);
                        op.acquisition.complete(Acquisition.granted(grant));
                    } else if (denial.impossible) {
                        // Only the share is too small: the full quota may take it once the store is back.
                        deny(op, later(nextProbe, now), denial.dimension);
                    } else {
                        deny(op, denial.retryAt, denial.dimension);
                    }
                    break;
                case RECONCILE:
                    long grantSecond = op.grant.grantedAt().getEpochSecond();
                    long delta = op.amount - op.grant.inputTokens();
                    local = local.adjustTokens(grantSecond, delta, second);
                    boolean inWindow = grantSecond > second - window;
                    if (inWindow || delta > 0) {
                        unsynced = unsynced.plusDelta(inWindow ? grantSecond : second, 0, delta, local.day(), window);
                    }
                    op.done.complete(null);
                    break;
                case PUSHBACK:
                    local = local.pausedUntil(op.amount);
                    unsynced = unsynced.pausedUntil(op.amount);
                    op.done.complete(null);
                    break;
                default:
                    // A merge planned before the store failed again: the unsynced changes stay kept.
                    break;
            }
        }
    }

    /** The instant a grant counts at: now, unless the item already holds a later second. */
    private static Instant grantInstant(Instant now, long second) {
        return second == now.getEpochSecond() ? now : Instant.ofEpochSecond(second);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b.plusMillis(1);
    }

    private void maybeProbe(Instant now) {
        if (probing || now.isBefore(nextProbe)) {
            return;
        }
        probing = true;
        guarded(() -> store.read(scope)).whenComplete((state, failure) -> runOnExecutor(() -> afterProbe(state, failure), List.of()));
    }

    private void afterProbe(WindowState state, Throwable failure) {
        probing = false;
        listener.onStoreCalls(1);
        if (failure != null) {
            nextProbe = clock.instant().plus(config.probeInterval());
            LOG.debug("Quota {}: the shared store still fails", scope, failure);
            return;
        }
        cached = state;
        fallback = false;
        LOG.warn("Quota {}: the shared store answers again; back to the global quota", scope);
        listener.onFallbackChanged(false);
        if (!unsynced.isEmpty()) {
            Op merge = new Op(OpKind.MERGE, 0, null);
            requeue(List.of(merge));
            synchronized (queueLock) {
                if (draining || closed) {
                    return;
                }
                draining = true;
            }
            drain();
        }
    }

    /** A store that throws instead of failing its future must not stop the limiter's thread. */
    private static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void runOnExecutor(Runnable task, List<Op> ops) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException closing) {
            failClosed(ops);
        }
    }

    private void failClosed(List<Op> ops) {
        IllegalStateException error = new IllegalStateException("the quota limiter for " + scope + " is closed");
        for (Op op : ops) {
            if (op.acquisition != null) {
                op.acquisition.completeExceptionally(error);
            } else if (op.done != null) {
                op.done.completeExceptionally(error);
            }
        }
    }

    private enum OpKind { ACQUIRE, RECONCILE, PUSHBACK, MERGE }

    /** One request to the limiter; {@code amount} is tokens, or the pause's epoch millis. */
    private static final class Op {
        final OpKind kind;
        final long amount;
        final Grant grant;
        final CompletableFuture<Acquisition> acquisition;
        final CompletableFuture<Void> done;
        Grant provisional;

        Op(OpKind kind, long amount, Grant grant) {
            this.kind = kind;
            this.amount = amount;
            this.grant = grant;
            this.acquisition = kind == OpKind.ACQUIRE ? new CompletableFuture<>() : null;
            this.done = kind == OpKind.RECONCILE || kind == OpKind.PUSHBACK ? new CompletableFuture<>() : null;
        }
    }

    /** Builds a {@link WindowQuotaLimiter}. */
    public static final class Builder {
        private final QuotaStore store;
        private final QuotaConfig config;
        private Clock clock = Clock.systemUTC();
        private LimiterListener listener = LimiterListener.NONE;
        private AutoCloseable resource;

        private Builder(QuotaStore store, QuotaConfig config) {
            this.store = Objects.requireNonNull(store, "store");
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder listener(LimiterListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /** Something the limiter owns and closes with itself, e.g. the DynamoDB client it created. */
        public Builder closing(AutoCloseable value) {
            this.resource = value;
            return this;
        }

        public WindowQuotaLimiter build() {
            return new WindowQuotaLimiter(this);
        }
    }
}
