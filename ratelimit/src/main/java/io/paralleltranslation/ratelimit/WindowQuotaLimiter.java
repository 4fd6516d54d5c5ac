package io.paralleltranslation.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * written with ONE conditional write, so every request in it takes all of its dimensions or
 * nothing: an increment of the slot counters ({@link SlotIncrement}) that other instances' increments
 * do not conflict with as long as together they fit, or, for a debit, a pause, a merge or a new
 * day, a replacement of the whole item on that state's version. A refused write brings back the
 * item and the batch is planned again; denials need no write at all. When the store fails, the instance keeps to its 1/P share
 * of every limit in memory, and probes the store every {@link QuotaConfig#probeInterval()}.
 */
public final class WindowQuotaLimiter implements QuotaLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(WindowQuotaLimiter.class);
    private static final long BACKOFF_BASE_MICROS = 1_000;
    private static final long BACKOFF_MAX_MICROS = 500_000;
    private static final long THROTTLE_BACKOFF_BASE_MILLIS = 50;
    static final int CUT_STEP_PERCENT = 10;
    static final int CUT_MAX_PERCENT = 50;
    static final long CUT_HOLD_MINUTES = 10;
    /** How long a refund, or the rest of a lease, waits for a write before one is made for it (up to twice this). */
    static final long FLUSH_DELAY_MILLIS = 1_000;
    /** How long a lone first acquire waits for company: see {@link #lingerFirst}. */
    static final long LINGER_MICROS = 15_000;
    /** Weight of the newest busy second in the demand EWMA that sizes leases. */
    static final double DEMAND_WEIGHT = 0.5;
    /** A lease is topped up when it holds at most this share of its last block (and at least 1). */
    static final double LOW_WATER = 0.25;

    private final QuotaStore store;
    private final QuotaConfig config;
    private final String scope;
    private final ZoneId zone;
    private final Limits limits;
    private final Limits share;
    /** Slots the window checks, margin included. */
    private final int window;
    private final Clock clock;
    private final LimiterCounters counters = new LimiterCounters();
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
    /** The store has answered at least once: {@link #cached} is a real state of the item. */
    private boolean synced;
    private int conflictsInRow;
    private int throttlesInRow;
    private volatile boolean fallback;
    /** See {@link #pausedUntil()}: epoch millis, raised by pushbacks at once, set from every item seen. */
    private volatile long knownPauseMillis;
    /** In fallback, the store answered a probe: the next write merges {@link #unsynced} and ends fallback. */
    private boolean rejoining;
    /** In fallback: this instance's view, the last item state seen plus its own changes since. */
    private WindowState local;
    /**
     * What this instance granted, debited or paused in fallback, not yet merged into the store's
     * item. Refunds are left out: a refund in a batch whose answer was lost may already be in the
     * item, and counting tokens twice only errs on the safe side.
     */
    private WindowState unsynced = WindowState.empty();
    /** Never synced when the store failed: nothing is granted before this (the window it cannot see). */
    private Instant blindUntil = Instant.MIN;
    private Instant nextProbe = Instant.MIN;
    private boolean probing;
    /** Grants taken ahead of demand for the current second; null if none. */
    private Lease lease;
    /**
     * A store call is in flight (or its retry is scheduled): the one write at a time. Meanwhile
     * acquires are still served from the lease; the rest wait in {@link #waiting} for its answer.
     */
    private boolean writing;
    /** The lone acquire before a write lingered: the next plan goes ahead whatever its size. */
    private boolean lingered;
    /** This instance in the item: see {@link WindowState#applied}. */
    private final String writerId = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), Character.MAX_RADIX);
    private long lastSeq;
    /** The lease whose rest the write in flight gives back: restored if that write does not land. */
    private Lease frozen;
    /** Ops that came while a write was in flight and need its answer, oldest first. */
    private final List<Op> waiting = new ArrayList<>();
    private final CompletableFuture<Void> primed = new CompletableFuture<>();
    /** Refunds waiting for a write to ride along with (guarded by {@link #queueLock}). */
    private final List<Op> held = new ArrayList<>();
    private boolean flushScheduled;
    /** Writes of this instance that landed; {@link #flushMark}: how many when the flush was scheduled. */
    private long writesLanded;
    private long flushMark;
    private long demandSecond;
    private long demandCount;
    private long demandTokens;
    /** This instance's own grants and blocks in the window: its fair share of a burst is what it has not yet taken. */
    private final OwnWindowUse own;
    /** Acquires per busy second, an EWMA (weight {@link #DEMAND_WEIGHT}) over the seconds with any. */
    private double demandRate;
    /** Mean input tokens per acquire, over the same seconds. */
    private double demandTokensEach;

    private WindowQuotaLimiter(Builder b) {
        this.store = b.store;
        this.config = b.config;
        this.scope = config.scope();
        this.zone = config.zone();
        this.limits = config.limits();
        this.share = config.fallbackShare();
        this.window = config.windowSlots();
        this.own = new OwnWindowUse(window);
        this.clock = b.clock;
        this.listener = new Both(counters, b.listener);
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

    /**
     * A pushback, and every limiter of the scope grants {@value #CUT_STEP_PERCENT}% less RPM and TPM
     * (at most {@value #CUT_MAX_PERCENT}% less) for {@value #CUT_HOLD_MINUTES} minutes after the
     * last such refusal: the limits or the timing that let it through were wrong, and the cut lives
     * in the item so that every worker follows.
     */
    @Override
    public CompletableFuture<Void> refusedDespiteGrant(Instant pausedUntil) {
        Op op = new Op(OpKind.PUSHBACK, Objects.requireNonNull(pausedUntil, "pausedUntil").toEpochMilli(), null);
        op.tighten = true;
        knownPauseMillis = Math.max(knownPauseMillis, cappedPause(op.amount, clock.instant()));
        submit(op);
        return op.done;
    }

    @Override
    public CompletableFuture<Void> pushback(Instant pausedUntil) {
        Op op = new Op(OpKind.PUSHBACK, Objects.requireNonNull(pausedUntil, "pausedUntil").toEpochMilli(), null);
        knownPauseMillis = Math.max(knownPauseMillis, cappedPause(op.amount, clock.instant()));
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
    public Instant nextDayStart(Instant instant) {
        return LocalDate.ofInstant(instant, zone).plusDays(1).atStartOfDay(zone).toInstant();
    }

    @Override
    public Instant pausedUntil() {
        return Instant.ofEpochMilli(knownPauseMillis);
    }

    /** The item as last seen; everything that learns a new state of it goes through here. */
    private void seen(WindowState state) {
        cached = state;
        synced = true;
        if (!fallback) {
            knownPauseMillis = state.pausedUntil().toEpochMilli();
        }
    }

    @Override
    public Optional<LimiterCounters> counters() {
        return Optional.of(counters);
    }

    @Override
    public void close() {
        List<Op> left;
        synchronized (queueLock) {
            if (closed) {
                return;
            }
            closed = true;
            // A refund not yet written is dropped (see failClosed): the item then counts a little
            // more than was used, which only errs on the safe side, and nothing is wrong for the caller.
            left = new ArrayList<>(queue);
            queue.clear();
            left.addAll(held);
            held.clear();
            left.addAll(waiting);
            waiting.clear();
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

    /**
     * Reads the item before the first acquire is planned: the first write then starts from the
     * current version (no conflict to lose), and the store client has loaded and connected; then
     * warms the write path. Acquires queue meanwhile; a failed read leaves it to the first write to
     * find the store down.
     */
    private void prime() {
        writing = true;
        guarded(() -> store.read(scope)).whenComplete((state, failure) -> runOnExecutor(() -> {
            listener.onStoreCalls(1);
            if (failure == null && state != null) {
                seen(state);
                warmUp();
            } else {
                primed.complete(null);
                resume();
            }
        }, List.of()));
    }

    /**
     * Completes when the limiter has read its item and warmed its write path after being built (or
     * found the store failing): a caller that can wait for it before its first acquire (an
     * operator's {@code open()}, a benchmark's start) does not meet that cold path in its first burst.
     */
    public CompletableFuture<Void> primed() {
        return primed.copy();
    }

    /** The store's write path too, before the first grant (see {@link QuotaStore#warmUp}); at most one call. */
    private void warmUp() {
        CompletableFuture<Void> warming = guarded(() -> store.warmUp(scope));
        if (warming.isDone()) {
            primed.complete(null);
            resume();
            return;
        }
        warming.whenComplete((ignored, failure) -> runOnExecutor(() -> {
            listener.onStoreCalls(1);
            primed.complete(null);
            resume();
        }, List.of()));
    }

    /** The store call in flight has answered (or its backoff is over): what waited for it goes first. */
    private void resume() {
        writing = false;
        frozen = null;
        List<Op> again;
        synchronized (queueLock) {
            again = new ArrayList<>(waiting);
            waiting.clear();
        }
        requeue(again);
        synchronized (queueLock) {
            draining = true;
        }
        drain();
    }

    private static boolean isRefund(Op op) {
        return op.kind == OpKind.RECONCILE && op.amount < op.grant.inputTokens();
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
        refuse(op);
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
                    break;
                }
                batch = new ArrayList<>(queue);
                queue.clear();
            }
            Instant now = clock.instant();
            if (writing) {
                serveDuringWrite(batch, now);
            } else if (fallback && !rejoining) {
                serveLocally(batch, now);
                probe();
            } else if (lingerFirst(batch)) {
                break;
            } else {
                writeBatch(batch, now, false);
            }
        }
        if (!writing && !fallback && lease != null && lease.isLow() && config.leases()) {
            // Refilled before it runs out, so that acquires almost never wait for a round trip.
            writeBatch(new ArrayList<>(), clock.instant(), true);
        }
    }

    /**
     * Before this instance has seen a busy second (no lease, no demand to size one by), a lone
     * acquire waits {@value #LINGER_MICROS} µs for the callers that usually come with it (a
     * starting job's subtasks), so that one write takes them all and sizes its lease by them.
     */
    private boolean lingerFirst(List<Op> batch) {
        if (lingered || config.expectedBurst() > 0 || demandRate > 0 || lease != null || batch.size() != 1
                || batch.get(0).kind != OpKind.ACQUIRE) {
            return false;
        }
        lingered = true;
        writing = true;
        requeue(batch);
        scheduleResume(LINGER_MICROS, batch);
        return true;
    }

    /**
     * While a write is in flight: acquires the lease covers are granted, the rest wait for its
     * answer. (Denials wait too: callers denied at once and retrying at once, as a tight loop over a
     * full window does, would only spin while the write's grants age.)
     */
    private void serveDuringWrite(List<Op> batch, Instant now) {
        countDemand(batch, now);
        long second = cached.effectiveSecond(now, zone);
        boolean leaseServes = lease != null && lease.second == second && !cached.pausedUntil().isAfter(now)
                && !fallback;
        for (Op op : batch) {
            if (op.kind == OpKind.ACQUIRE && leaseServes && lease.take(op.amount)) {
                grantNow(op, now, second);
                continue;
            }
            synchronized (queueLock) {
                waiting.add(op);
            }
        }
    }

    private void grantNow(Op op, Instant now, long second) {
        Grant grant = new Grant(grantInstant(now, second), op.amount);
        listener.onGranted(grant);
        op.acquisition.complete(Acquisition.granted(grant));
    }

    /**
     * Plans the batch on the cached state; true if a write is now in flight (it drains on). Acquires
     * the lease covers are granted at once; refunds alone wait (1-2 x {@link #FLUSH_DELAY_MILLIS},
     * longer while this instance writes anyway) for a write to ride along with. {@code prefetch}:
     * top the lease up if it is worth a write.
     */
    private boolean writeBatch(List<Op> batch, Instant now, boolean prefetch) {
        long second = cached.effectiveSecond(now, zone);
        countDemand(batch, now);
        synchronized (queueLock) {
            batch.addAll(0, held);
            held.clear();
        }
        WindowState next = cached.advancedTo(second, zone, window);
        boolean leaseServes = lease != null && lease.second == second && !cached.pausedUntil().isAfter(now);
        // The lease's rest goes back with this write if its second is over, or if an acquire it
        // cannot cover (too few tokens left) needs the window checked without it.
        boolean returning = false;
        List<Op> pending = new ArrayList<>();
        boolean mustWrite = false;
        boolean flush = false;
        boolean recheck = false;
        long debits = 0;
        int grants = 0;
        long grantedTokens = 0;
        for (Op op : batch) {
            switch (op.kind) {
                case ACQUIRE:
                    if (leaseServes && lease.take(op.amount)) {
                        grantNow(op, now, second);
                        continue;
                    }
                    if (!returning && lease != null && lease.hasLeft()) {
                        // Whatever is left of the lease goes back before anything is checked against it.
                        next = next.minusGrants(lease.second, lease.requests, lease.tokens, zone);
                        returning = true;
                        leaseServes = false;
                    }
                    WindowState.Denial denial = next.check(now, second, op.amount, effective(next, now), zone, window);
                    if (denial != null) {
                        deny(op, jittered(denial), denial.dimension);
                        continue;
                    }
                    next = next.plusGrant(second, op.amount);
                    op.provisional = new Grant(grantInstant(now, second), op.amount);
                    grants++;
                    grantedTokens += op.amount;
                    mustWrite = true;
                    break;
                case RECONCILE:
                    long delta = op.amount - op.grant.inputTokens();
                    debits += Math.max(0, delta);
                    mustWrite |= delta > 0;
                    next = next.adjustTokens(op.grant.grantedAt().getEpochSecond(), delta, second);
                    break;
                case PUSHBACK:
                    long until = cappedPause(op.amount, now);
                    if (op.tighten) {
                        next = next.tightened(now, CUT_STEP_PERCENT, CUT_MAX_PERCENT,
                                TimeUnit.MINUTES.toMillis(CUT_HOLD_MINUTES));
                    } else if (until <= next.pausedUntil().toEpochMilli()) {
                        op.done.complete(null);
                        continue;
                    }
                    next = next.pausedUntil(until);
                    mustWrite = true;
                    break;
                case FLUSH:
                    flushScheduled = false;
                    // Writes landed meanwhile: refunds and rests ride with the next one, as they did.
                    flush = writesLanded == flushMark;
                    recheck = !flush;
                    break;
                default:
                    next = next.merged(unsynced, second, window).withFallbackMergedAt(now.toEpochMilli());
                    mustWrite = true;
                    break;
            }
            pending.add(op);
        }
        if (recheck) {
            scheduleFlush();
        }
        // Expired, or a flush found it unused since the last flush (a second or more): the rest goes back.
        boolean idle = flush && lease != null && !lease.used;
        if (flush && lease != null && lease.used && lease.hasLeft()) {
            lease.used = false;
            scheduleFlush();
        }
        boolean expired = lease != null && (lease.second != second || idle) && lease.hasLeft();
        if (flush && !mustWrite) {
            for (Op op : pending) {
                mustWrite |= op.kind == OpKind.RECONCILE;
            }
            mustWrite |= expired;
        }
        Lease leased = null;
        if (prefetch && !mustWrite && leaseServes && grants == 0) {
            leased = leaseFor(next, now, second, 0, 0, lease.requests, Math.max(1, demandCount), null);
            long worth = (long) Math.ceil(Math.max(demandRate, demandCount) * LOW_WATER);
            if (leased != null && leased.requests < Math.max(1, worth)) {
                // Less than a quarter of a second's demand is not worth a write of its own: a grant's
                // write takes such crumbs.
                leased = null;
            }
            mustWrite = leased != null;
            // The cached state changes only with this instance's next write: no use asking again before.
            lease.topUpRefused = !mustWrite;
        }
        if (!mustWrite) {
            // Refunds only: they wait for the next write, or the flush.
            boolean holding = false;
            synchronized (queueLock) {
                for (Op op : pending) {
                    if (op.kind == OpKind.RECONCILE) {
                        held.add(op);
                        holding = true;
                    }
                }
            }
            if (holding) {
                scheduleFlush();
            }
            return false;
        }
        if (!returning && expired) {
            next = next.minusGrants(lease.second, lease.requests, lease.tokens, zone);
            returning = true;
        }
        if (grants > 0) {
            // Before any busy second, the callers' declared capacity stands in for the demand seen.
            long declared = demandRate == 0 ? config.expectedBurst() : 0;
            leased = leaseFor(next, now, second, grants, grantedTokens,
                    !returning && lease != null && lease.second == second ? lease.requests : 0, declared,
                    returning ? lease : null);
        }
        if (leased != null) {
            next = next.plusGrants(second, leased.requests, leased.tokens);
        }
        long seq = nextSeq(now);
        long expiresAt = next.expiresAtEpochSecond(zone, window);
        // Grants, blocks, rests and refunds are increments that writers of the same window do not
        // conflict over; debits, pauses, merges and a new day replace the whole item.
        SlotIncrement increment = debits == 0 && !fallback && !rejoining
                ? SlotIncrement.between(cached, next, second, effective(cached, now), limits.requestsPerDay, window,
                        writerId, seq, expiresAt)
                : null;
        WindowState written = increment != null ? null : next.replacedBy(writerId, seq, now.toEpochMilli());
        // Only what this batch's debits put above the limit: an older excess was reported already.
        long overLimit = Math.min(debits, next.tokensInWindow(second, window) - limits.inputTokensPerMinute);
        long expected = cached.version();
        writing = true;
        if (returning) {
            // Its rest is given back by this write: nothing more is handed out of it meanwhile.
            frozen = lease;
            lease = null;
        }
        Lease block = leased;
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} v{}: {} ops, {} granted, lease +{} (held {}), returning {}, prefetch {}, flush {}, window {} of {}",
                    increment != null ? "increment" : "replace", expected, pending.size(), grants,
                    leased == null ? 0 : leased.requests, lease == null ? 0 : lease.requests, returning, prefetch,
                    flush, next.requestsInWindow(second, window), limits.requestsPerMinute);
        }
        guarded(() -> increment != null ? store.increment(scope, increment)
                : store.write(scope, expected, written, expiresAt))
                .whenComplete((result, failure) -> runOnExecutor(
                        () -> afterWrite(pending, seq, overLimit, block, result, failure), pending));
        return true;
    }

    /** The limits less the cut a 429 that got through put in the item, while it lasts. */
    private Limits effective(WindowState state, Instant now) {
        int cut = state.cutPercentAt(now);
        if (cut == 0) {
            return limits;
        }
        return new Limits(limits.requestsPerMinute * (100 - cut) / 100,
                limits.inputTokensPerMinute * (100 - cut) / 100, limits.requestsPerDay);
    }

    /**
     * Acquires per second of this instance's clock, denied ones included: an EWMA over the busy
     * seconds sizes the leases. Idle seconds are skipped: callers denied for a minute come back
     * with the demand they left with.
     */
    private void countDemand(List<Op> batch, Instant now) {
        long second = now.getEpochSecond();
        if (second != demandSecond) {
            if (demandCount > 0) {
                double tokensEach = demandTokens / (double) demandCount;
                demandTokensEach = demandRate == 0 ? tokensEach
                        : DEMAND_WEIGHT * tokensEach + (1 - DEMAND_WEIGHT) * demandTokensEach;
                demandRate = demandRate == 0 ? demandCount
                        : DEMAND_WEIGHT * demandCount + (1 - DEMAND_WEIGHT) * demandRate;
            }
            demandSecond = second;
            demandCount = 0;
            demandTokens = 0;
        }
        for (Op op : batch) {
            if (op.kind == OpKind.ACQUIRE && !op.counted) {
                // Once: an op that waited for a write is planned again.
                op.counted = true;
                demandCount++;
                demandTokens += op.amount;
            }
        }
    }

    /**
     * A block of grants in {@code second} beyond the {@code granted} ones of the batch, sized to
     * the demand (the EWMA of earlier busy seconds, or {@code seen} acquires this second when a
     * top-up finds more, or twice the batch: callers that came together come back together) less
     * what the lease still holds (at least twice the lease's last block, less what it holds, while
     * this second's acquires outnumber that block); at most the 1/P share of RPM and TPM per block;
     * with the batch's grants, a block only while they leave some of this instance's own share of
     * the window ({@code returned}: the lease whose rest this write gives back, no longer its own),
     * and then at most that rest of the share; once the share is used, at most 1/P of the room
     * left: so that one instance does not hold what the others ask for; never the day's last
     * requests; tokens for the mean estimate plus a quarter where there is room; as many as the
     * limits allow. Null if none.
     */
    private Lease leaseFor(WindowState planned, Instant now, long second, int granted, long grantedTokens, long held,
            long seen, Lease returned) {
        if (!config.leases()) {
            return null;
        }
        long demand = Math.max((long) Math.ceil(demandRate), seen);
        long wanted = Math.max(demand - granted - held, granted >= 2 ? 2L * granted : 0);
        if (lease != null && lease.second == second && demandCount > lease.blockRequests) {
            // This second's acquires already outnumber the lease's last block: the demand is more
            // than was planned for (a first busy second's rate is not known before it ends), and the
            // rest of the second will ask for more than counted so far: the lease goes to twice that block.
            wanted = Math.max(wanted, 2 * lease.blockRequests - held);
        }
        wanted = Math.min(wanted, Math.max(1, limits.requestsPerMinute / config.instances()));
        // Never the day's last requests: a lease holding them would show the daily quota spent (the
        // documents' WAITING_FOR_DAILY_QUOTA) and deny the other instances until the next midnight.
        long dayLeft = now.atZone(zone).toLocalDate().equals(planned.day())
                ? limits.requestsPerDay - planned.dayRequests() : limits.requestsPerDay;
        wanted = Math.min(wanted, dayLeft / (2L * config.instances()));
        if (wanted < 1 || planned.pausedUntil().isAfter(now)) {
            return null;
        }
        double meanTokens = demandCount > 0 && demandRate == 0 ? demandTokens / (double) demandCount
                : demandTokensEach;
        if (meanTokens <= 0 && limits.requestsPerMinute > 0) {
            // Nothing seen yet: as many tokens a request as the quota's own ratio allows.
            meanTokens = limits.inputTokensPerMinute / (double) limits.requestsPerMinute;
        }
        Limits effective = effective(planned, now);
        long room = effective.requestsPerMinute - planned.requestsInWindow(second, window);
        // A write takes what is left of this instance's own 1/P share of the window; once that is
        // used, 1/P of the room left (the others left it unused). Instances that each keep to their
        // share fit beside each other whatever they last saw, so their increments, written at the
        // same moment, all land instead of being refused, and a burst costs each instance a write or
        // two instead of a write per halving of the room. Room seen while the share lasts is not taken:
        // a view that has not seen the others' shares yet counts them as room. The write's grants
        // count against it too.
        int instances = config.instances();
        long[] mine = own.inWindow(second);
        if (returned != null) {
            // The rest this write gives back is no longer this instance's.
            mine[0] = Math.max(0, mine[0] - returned.requests);
            mine[1] = Math.max(0, mine[1] - returned.tokens);
        }
        long requests = Math.min(wanted, shareOrRoom(effective.requestsPerMinute, instances, mine[0], granted, room));
        // Tokens: the mean estimate per request, plus a quarter where the window and the share have
        // it, so that the block does not run dry of tokens before its requests are used.
        long tokensLeft = effective.inputTokensPerMinute - planned.tokensInWindow(second, window);
        long tokensRoom = Math.min(
                shareOrRoom(effective.inputTokensPerMinute, instances, mine[1], grantedTokens, tokensLeft),
                Math.max((long) Math.ceil(meanTokens), limits.inputTokensPerMinute / instances));
        if (meanTokens > 0) {
            requests = Math.min(requests, (long) (tokensRoom / meanTokens));
        }
        if (requests < 1) {
            return null;
        }
        return new Lease(second, requests, Math.min(tokensRoom, (long) Math.ceil(requests * meanTokens * 1.25)));
    }

    /**
     * What one more write may add in one dimension, beyond the {@code granted} of its batch: what
     * is left of this instance's 1/P share of {@code limit} after {@code mine} (within the room),
     * or, once the share is used, 1/P of the room before the batch.
     */
    private static long shareOrRoom(long limit, int instances, long mine, long granted, long room) {
        long shareLeft = limit / instances - mine;
        if (shareLeft > granted) {
            return Math.min(room, shareLeft - granted);
        }
        return (room + granted) / instances - granted;
    }

    private void scheduleFlush() {
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        flushMark = writesLanded;
        try {
            // Jittered: instances whose leases were written together would otherwise flush together, and race.
            long delay = FLUSH_DELAY_MILLIS + ThreadLocalRandom.current().nextLong(FLUSH_DELAY_MILLIS);
            executor.schedule(() -> submit(new Op(OpKind.FLUSH, 0, null)), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            flushScheduled = false;
        }
    }

    /** The next write's sequence number: increasing, and the writer's clock in millis where that is larger. */
    private long nextSeq(Instant now) {
        lastSeq = Math.max(lastSeq + 1, now.toEpochMilli());
        return lastSeq;
    }

    private void afterWrite(List<Op> pending, long seq, long overLimit, Lease leased,
            QuotaStore.WriteResult result, Throwable failure) {
        if (failure != null) {
            listener.onStoreCalls(1);
            if (rejoining) {
                // Reads work, writes do not (yet): stay in fallback, the own grants kept.
                rejoining = false;
                LOG.warn("Quota {}: the shared store answered a read but refused the merge write ({}); "
                        + "staying in fallback", scope, unwrap(failure).toString());
                scheduleProbe();
            } else if (unwrap(failure) instanceof StoreThrottledException) {
                // A rest given back by this write stays counted (an earlier attempt may have landed).
                throttled(pending);
                return;
            } else {
                // The write may have been applied all the same (a lost answer): its grants are then
                // counted in the item and never handed out, which only errs on the safe side.
                enterFallback(failure);
            }
            waitAgain(pending);
            resume();
            return;
        }
        listener.onStoreCalls(result.calls());
        throttlesInRow = 0;
        if (!result.isWritten() && !result.current().applied(writerId, seq)) {
            seen(result.current());
            conflictsInRow++;
            listener.onConditionalFailure();
            // Not applied: the rest it gave back is still counted in the item, and still ours to hand out.
            if (frozen != null) {
                lease = frozen;
                frozen = null;
            }
            waitAgain(pending);
            long bound = Math.min(BACKOFF_MAX_MICROS, BACKOFF_BASE_MICROS << Math.min(conflictsInRow - 1, 10));
            scheduleResume(ThreadLocalRandom.current().nextLong(bound + 1), pending);
            return;
        }
        if (!result.isWritten()) {
            // A retry of a write that was applied lost the version condition to itself.
            listener.onLostResponseRecovered();
        }
        seen(result.current());
        writesLanded++;
        conflictsInRow = 0;
        lingered = false;
        if (config.leases()) {
            countOwn(pending, leased);
        }
        // A rest given back went with this write; a new block joins the lease of its second or replaces an older one.
        if (leased != null) {
            if (lease != null && lease.second == leased.second) {
                lease.add(leased);
            } else {
                lease = leased;
            }
            listener.onLeased(leased.requests);
            scheduleFlush();
        }
        if (overLimit > 0) {
            LOG.warn("Quota {}: reconciled input tokens exceed TPM by {} in the current window; "
                    + "grants wait until it has passed", scope, overLimit);
            listener.onOverDebit(overLimit);
        }
        for (Op op : pending) {
            complete(op);
        }
        resume();
    }

    /** A write landed: its grants, block, refunds and the rest it gave back change this instance's part of the window. */
    private void countOwn(List<Op> pending, Lease leased) {
        long second = cached.newest();
        for (Op op : pending) {
            if (op.kind == OpKind.ACQUIRE && op.provisional != null) {
                own.add(op.provisional.grantedAt().getEpochSecond(), 1, op.amount);
            } else if (op.kind == OpKind.RECONCILE) {
                long grantSecond = op.grant.grantedAt().getEpochSecond();
                long delta = op.amount - op.grant.inputTokens();
                // Where the item took it (WindowState#adjustTokens): a debit of a grant out of the
                // window counts now; a refund of one is dropped.
                if (grantSecond > second - window) {
                    own.add(grantSecond, 0, delta);
                } else if (delta > 0) {
                    own.add(second, 0, delta);
                }
            } else if (op.kind == OpKind.MERGE) {
                // The grants made in fallback are in the item now (complete() clears them after this).
                for (Map.Entry<Long, long[]> slot : unsynced.slots().entrySet()) {
                    own.add(slot.getKey(), slot.getValue()[0], slot.getValue()[1]);
                }
            }
        }
        if (leased != null) {
            own.add(leased.second, leased.requests, leased.tokens);
        }
        if (frozen != null) {
            own.add(frozen.second, -frozen.requests, -frozen.tokens);
        }
    }

    /** Ops of a write that did not land go back ahead of those that came meanwhile. */
    private void waitAgain(List<Op> pending) {
        synchronized (queueLock) {
            waiting.addAll(0, pending);
        }
    }

    private void complete(Op op) {
        switch (op.kind) {
            case ACQUIRE:
                listener.onGranted(op.provisional);
                op.acquisition.complete(Acquisition.granted(op.provisional));
                break;
            case FLUSH:
                break;
            case MERGE:
                unsynced = WindowState.empty();
                if (fallback) {
                    fallback = false;
                    rejoining = false;
                    LOG.warn("Quota {}: the shared store answers again and holds what was granted in fallback; "
                            + "back to the global quota", scope);
                    listener.onFallbackChanged(false);
                }
                break;
            default:
                if (op.tighten) {
                    int cut = cached.cutPercentAt(clock.instant());
                    LOG.warn("Quota {}: a call was refused for quota despite its grant; RPM and TPM are {}% lower "
                            + "for every worker until {}", scope, cut, cached.cutUntil());
                    listener.onLimitsCut(cut);
                }
                op.done.complete(null);
                break;
        }
    }

    private Instant jittered(WindowState.Denial denial) {
        long bound = config.retryJitter().toMillis();
        if (bound == 0 || denial.dimension == QuotaDimension.REQUESTS_PER_DAY) {
            return denial.retryAt;
        }
        return denial.retryAt.plusMillis(ThreadLocalRandom.current().nextLong(bound + 1));
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
        // What the lease still holds stays counted in the item: never handed out, it errs on the safe side.
        lease = null;
        synchronized (queueLock) {
            for (int i = held.size() - 1; i >= 0; i--) {
                queue.addFirst(held.get(i));
            }
            held.clear();
        }
        Instant now = clock.instant();
        // The last global state seen, plus what this instance granted in fallback before and has not
        // merged yet: what the others granted lately and its own earlier share both still count.
        long second = cached.effectiveSecond(now, zone);
        local = cached.advancedTo(second, zone, window).merged(unsynced, second, window);
        if (!synced) {
            // Started during the outage: the window may be full of grants it has never seen.
            blindUntil = Instant.ofEpochSecond(now.getEpochSecond() + window);
            LOG.warn("Quota {}: the shared store has never answered; granting nothing until {}", scope, blindUntil);
        }
        nextProbe = now.plus(config.probeInterval());
        listener.onFallbackChanged(true);
        scheduleProbe();
    }

    private void throttled(List<Op> pending) {
        throttlesInRow++;
        listener.onThrottled();
        if (throttlesInRow == 1) {
            LOG.warn("Quota {}: the shared store throttles this instance; backing off (not falling back: "
                    + "the others still write)", scope);
        }
        frozen = null;
        waitAgain(pending);
        long boundMillis = Math.min(config.probeInterval().toMillis(),
                THROTTLE_BACKOFF_BASE_MILLIS << Math.min(throttlesInRow - 1, 16));
        long delay = boundMillis / 2 + ThreadLocalRandom.current().nextLong(boundMillis / 2 + 1);
        scheduleResume(TimeUnit.MILLISECONDS.toMicros(delay), pending);
    }

    /** The write's retry, after a backoff; the write stays "in flight" until then. */
    private void scheduleResume(long delayMicros, List<Op> pending) {
        try {
            executor.schedule(this::resume, delayMicros, TimeUnit.MICROSECONDS);
        } catch (RejectedExecutionException closing) {
            failClosed(pending);
        }
    }

    private void serveLocally(List<Op> batch, Instant now) {
        long second = local.effectiveSecond(now, zone);
        local = local.advancedTo(second, zone, window);
        Limits fallbackLimits = fallbackLimits();
        // Every denial in fallback is looked at again by the next probe at the latest: a blip of the
        // store must not park work until a midnight the global quota may never have reached.
        Instant probeCap = later(nextProbe, now);
        for (Op op : batch) {
            switch (op.kind) {
                case ACQUIRE:
                    WindowState.Denial denial = local.check(now, second, op.amount, fallbackLimits, zone, window);
                    if (now.isBefore(blindUntil)) {
                        deny(op, earlier(blindUntil, probeCap), QuotaDimension.REQUESTS_PER_MINUTE);
                    } else if (denial == null) {
                        local = local.plusGrant(second, op.amount);
                        unsynced = unsynced.plusDelta(second, 1, op.amount, local.day(), window);
                        Grant grant = new Grant(grantInstant(now, second), op.amount);
                        listener.onGranted(grant);
                        op.acquisition.complete(Acquisition.granted(grant));
                    } else {
                        // A share too small for the request: the full quota may take it once the store is back.
                        deny(op, denial.impossible ? probeCap : earlier(denial.retryAt, probeCap), denial.dimension);
                    }
                    break;
                case RECONCILE:
                    long grantSecond = op.grant.grantedAt().getEpochSecond();
                    long delta = op.amount - op.grant.inputTokens();
                    local = local.adjustTokens(grantSecond, delta, second);
                    if (delta > 0) {
                        boolean inWindow = grantSecond > second - window;
                        unsynced = unsynced.plusDelta(inWindow ? grantSecond : second, 0, delta, local.day(), window);
                    }
                    op.done.complete(null);
                    break;
                case PUSHBACK:
                    long until = cappedPause(op.amount, now);
                    local = local.pausedUntil(until);
                    unsynced = unsynced.pausedUntil(until);
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

    /**
     * The 1/P share of the window limits; of the day, the 1/P share of what the last item state seen
     * left (the others may spend theirs of it meanwhile), on top of what that state already counts.
     */
    private Limits fallbackLimits() {
        long rpd = share.requestsPerDay;
        if (synced && cached.day() != null && cached.day().equals(local.day())) {
            long left = Math.max(0, limits.requestsPerDay - cached.dayRequests());
            rpd = cached.dayRequests() + left / config.instances();
        }
        return new Limits(share.requestsPerMinute, share.inputTokensPerMinute, rpd);
    }

    /** No pause reaches past the next midnight in the quota's zone: every per-day quota resets there. */
    private long cappedPause(long untilMillis, Instant now) {
        long midnight = LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        return Math.min(untilMillis, midnight);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Probes run on a timer: a limiter nobody asks still returns to the global quota. */
    private void scheduleProbe() {
        long delay = Math.max(0, Duration.between(clock.instant(), nextProbe).toMillis());
        try {
            executor.schedule(this::probe, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // Closed: nothing left to probe for.
        }
    }

    private void probe() {
        if (!fallback || probing || rejoining) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(nextProbe)) {
            scheduleProbe();
            return;
        }
        probing = true;
        nextProbe = now.plus(config.probeInterval());
        guarded(() -> store.read(scope)).whenComplete((state, failure) -> runOnExecutor(() -> afterProbe(state, failure), List.of()));
    }

    private void afterProbe(WindowState state, Throwable failure) {
        probing = false;
        listener.onStoreCalls(1);
        if (failure != null) {
            LOG.debug("Quota {}: the shared store still fails", scope, failure);
            scheduleProbe();
            return;
        }
        seen(state);
        blindUntil = Instant.MIN;
        // Fallback ends only when the write that merges what it granted meanwhile succeeds.
        rejoining = true;
        requeue(List.of(new Op(OpKind.MERGE, 0, null)));
        synchronized (queueLock) {
            if (draining || closed) {
                return;
            }
            draining = true;
        }
        drain();
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

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Asked after close: refused, whatever it is. */
    private void refuse(Op op) {
        IllegalStateException error = new IllegalStateException("the quota limiter for " + scope + " is closed");
        if (op.acquisition != null) {
            op.acquisition.completeExceptionally(error);
        } else {
            op.done.completeExceptionally(error);
        }
    }

    /** Caught queued or in flight by close: refunds are dropped, everything else fails. */
    private void failClosed(List<Op> ops) {
        IllegalStateException error = new IllegalStateException("the quota limiter for " + scope + " is closed");
        for (Op op : ops) {
            if (op.acquisition != null) {
                op.acquisition.completeExceptionally(error);
            } else if (isRefund(op)) {
                // As at close: a refund that never reached the item only errs on the safe side.
                op.done.complete(null);
            } else if (op.done != null) {
                op.done.completeExceptionally(error);
            }
        }
    }

    private enum OpKind { ACQUIRE, RECONCILE, PUSHBACK, MERGE, FLUSH }

    /** Grants written to the item in {@code second} ahead of demand, handed out locally in that second. */
    private static final class Lease {
        final long second;
        long requests;
        long tokens;
        /** A top-up found no room worth a write in the state last seen. */
        boolean topUpRefused;
        /** Handed out from since the last flush looked: a lease in use is not given back by a flush. */
        boolean used;
        /** The last block added: the low-water mark is a share of it. */
        long blockRequests;
        long blockTokens;

        Lease(long second, long requests, long tokens) {
            this.second = second;
            this.requests = requests;
            this.tokens = tokens;
            this.blockRequests = requests;
            this.blockTokens = tokens;
        }

        void add(Lease block) {
            requests += block.requests;
            tokens += block.tokens;
            blockRequests = block.requests;
            blockTokens = block.tokens;
            topUpRefused = false;
        }

        /** Time to top it up: at most {@link #LOW_WATER} of its last block left, of requests or tokens. */
        boolean isLow() {
            return !topUpRefused && (requests <= Math.max(1, (long) (blockRequests * LOW_WATER))
                    || tokens <= (long) (blockTokens * LOW_WATER));
        }

        boolean take(long inputTokens) {
            if (requests < 1 || tokens < inputTokens) {
                return false;
            }
            used = true;
            requests--;
            tokens -= inputTokens;
            return true;
        }

        boolean hasLeft() {
            return requests > 0 || tokens > 0;
        }
    }

    /** One request to the limiter; {@code amount} is tokens, or the pause's epoch millis. */
    private static final class Op {
        final OpKind kind;
        final long amount;
        final Grant grant;
        /** A pushback for a refusal that got through: also cuts the scope's limits (see refusedDespiteGrant). */
        boolean tighten;
        final CompletableFuture<Acquisition> acquisition;
        final CompletableFuture<Void> done;
        Grant provisional;
        /** Counted as demand already (see countDemand). */
        boolean counted;

        Op(OpKind kind, long amount, Grant grant) {
            this.kind = kind;
            this.amount = amount;
            this.grant = grant;
            this.acquisition = kind == OpKind.ACQUIRE ? new CompletableFuture<>() : null;
            this.done = kind == OpKind.RECONCILE || kind == OpKind.PUSHBACK ? new CompletableFuture<>() : null;
        }
    }

    /** Reports every signal to the limiter's own counters and to the listener it was built with. */
    private static final class Both implements LimiterListener {
        private final LimiterListener first;
        private final LimiterListener second;

        Both(LimiterListener first, LimiterListener second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void onFallbackChanged(boolean inFallback) {
            first.onFallbackChanged(inFallback);
            second.onFallbackChanged(inFallback);
        }

        @Override
        public void onStoreCalls(int calls) {
            first.onStoreCalls(calls);
            second.onStoreCalls(calls);
        }

        @Override
        public void onConditionalFailure() {
            first.onConditionalFailure();
            second.onConditionalFailure();
        }

        @Override
        public void onThrottled() {
            first.onThrottled();
            second.onThrottled();
        }

        @Override
        public void onLostResponseRecovered() {
            first.onLostResponseRecovered();
            second.onLostResponseRecovered();
        }

        @Override
        public void onLeased(long requests) {
            first.onLeased(requests);
            second.onLeased(requests);
        }

        @Override
        public void onLimitsCut(int percent) {
            first.onLimitsCut(percent);
            second.onLimitsCut(percent);
        }

        @Override
        public void onGranted(Grant grant) {
            first.onGranted(grant);
            second.onGranted(grant);
        }

        @Override
        public void onDenied(QuotaDimension limitedBy) {
            first.onDenied(limitedBy);
            second.onDenied(limitedBy);
        }

        @Override
        public void onOverDebit(long tokensOverLimit) {
            first.onOverDebit(tokensOverLimit);
            second.onOverDebit(tokensOverLimit);
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

        /** Builds the limiter and starts reading its item, so that the first acquires find it warm. */
        public WindowQuotaLimiter build() {
            WindowQuotaLimiter limiter = new WindowQuotaLimiter(this);
            limiter.prime();
            return limiter;
        }
    }
}
