package io.paralleltranslation.ratelimit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The state of one quota scope, as kept in its one store item: one-second slots holding the
 * requests and input tokens granted in that second, the requests granted on the current day, and a
 * pause. Immutable; every change returns a new state.
 *
 * <p>A grant counted in second {@code s} is checked against the {@code window} slots
 * {@code s-window+1 .. s}, where {@code window} is {@link #MINUTE_SLOTS} plus the arrival margin in
 * seconds ({@link QuotaConfig#windowMargin()}): 61 slots cover every 60-second window that contains
 * an instant of second {@code s}, and each second of margin widens that to 61, 62, ... seconds of
 * real time. Every method that looks at the window takes it as an argument, since the item does not
 * record it. Slots never go back in time: a grant is counted in
 * {@code max(own clock, newest slot, start of the item's day)}, so a host whose clock lags cannot
 * slip a grant into a window already checked.
 */
public final class WindowState {
    /** Slots {@code s-60 .. s}: the seconds any 60-second window ending in second {@code s} touches. */
    public static final int MINUTE_SLOTS = 61;
    /** How long an item outlives the last thing it must remember (TTL deletes it afterwards). */
    static final long EXPIRY_MARGIN_SECONDS = 3_600;

    /** How long the item remembers a writer's last write (see {@link #applied}) after it stopped writing. */
    static final long WRITER_MEMORY_MILLIS = 3_600_000;
    private static final WindowState EMPTY = new WindowState(0, new TreeMap<>(), null, 0, 0);

    private final long version;
    /**
     * Raised by every whole-item replacement (never by increments): an increment is conditional on
     * it, so a replacement (a debit, a merge, a pause, a new day) between its read and its write
     * makes it refused. 0: an item written before increments (replaced by its next write).
     */
    private final long historyVersion;
    /** The newest slot any write has counted in (slots never go back in time): see {@link SlotIncrement}. */
    private final long newest;
    /**
     * What {@link #newest} was before the increment that last moved it (0: unknown, after a
     * replacement): writers that planned on that older newest slot may still join the new one.
     */
    private final long previousNewest;
    /** epoch second -> {requests, input tokens}; the arrays are never modified once shared. */
    private final NavigableMap<Long, long[]> slots;
    private final LocalDate day;
    private final long dayRequests;
    private final long pausedUntilMillis;
    /** Writer id -> the sequence number of its last write applied: see {@link #applied}. */
    private final Map<String, Long> writers;
    /** When an instance last merged what it granted in fallback (epoch millis; 0: never). */
    private final long fallbackMergedAtMillis;
    /**
     * Percent taken off RPM and TPM for every limiter of the scope after a 429 got through anyway,
     * until {@link #cutUntilMillis}: see {@link #tightened}.
     */
    private final int cutPercent;
    private final long cutUntilMillis;

    WindowState(long version, NavigableMap<Long, long[]> slots, LocalDate day, long dayRequests,
            long pausedUntilMillis) {
        this(version, 0, 0, 0, slots, day, dayRequests, pausedUntilMillis, Map.of(), 0, 0, 0);
    }

    WindowState(long version, long historyVersion, long newest, long previousNewest, NavigableMap<Long, long[]> slots,
            LocalDate day, long dayRequests, long pausedUntilMillis, Map<String, Long> writers,
            long fallbackMergedAtMillis, int cutPercent, long cutUntilMillis) {
        this.version = version;
        this.historyVersion = historyVersion;
        this.previousNewest = previousNewest;
        this.newest = slots.isEmpty() ? newest : Math.max(newest, slots.lastKey());
        this.slots = Collections.unmodifiableNavigableMap(slots);
        this.day = day;
        this.dayRequests = dayRequests;
        this.pausedUntilMillis = pausedUntilMillis;
        this.writers = Collections.unmodifiableMap(writers);
        this.fallbackMergedAtMillis = fallbackMergedAtMillis;
        this.cutPercent = cutPercent;
        this.cutUntilMillis = cutUntilMillis;
    }

    /** A copy with other slots, day count and pause; everything else as it is. */
    private WindowState with(NavigableMap<Long, long[]> nextSlots, LocalDate nextDay, long nextDayRequests,
            long nextPausedUntilMillis) {
        return new WindowState(version, historyVersion, newest, previousNewest, nextSlots, nextDay, nextDayRequests,
                nextPausedUntilMillis, writers, fallbackMergedAtMillis, cutPercent, cutUntilMillis);
    }

    /** The state of a scope nobody has used yet (version 0: no item exists). */
    public static WindowState empty() {
        return EMPTY;
    }

    /** Increases with every write; 0 means the item does not exist. */
    public long version() {
        return version;
    }

    /** Increases with every whole-item replacement, not with increments (0: an item from before increments). */
    public long historyVersion() {
        return historyVersion;
    }

    /** The newest slot any write has counted in (0 if none). */
    public long newest() {
        return newest;
    }

    /** The calendar day (in the quota's zone) {@link #dayRequests()} counts; null before the first grant. */
    public LocalDate day() {
        return day;
    }

    public long dayRequests() {
        return dayRequests;
    }

    public Instant pausedUntil() {
        return Instant.ofEpochMilli(pausedUntilMillis);
    }

    /** epoch second -> {requests, input tokens} for every slot kept. */
    public NavigableMap<Long, long[]> slots() {
        return slots;
    }

    /** Requests in the {@code window} slots {@code second-window+1 .. second}. */
    public long requestsInWindow(long second, int window) {
        return sum(second, window, 0);
    }

    /** Input tokens in the {@code window} slots {@code second-window+1 .. second}. */
    public long tokensInWindow(long second, int window) {
        return sum(second, window, 1);
    }

    /**
     * When the store may forget this item (DynamoDB TTL, epoch seconds): after the day it counts,
     * its pause and its newest slot (kept for {@code window} seconds) are all over, plus a margin.
     */
    public long expiresAtEpochSecond(ZoneId zone, int window) {
        long until = pausedUntilMillis / 1000 + 1;
        if (day != null) {
            until = Math.max(until, day.plusDays(1).atStartOfDay(zone).toEpochSecond());
        }
        if (!slots.isEmpty()) {
            until = Math.max(until, slots.lastKey() + window);
        }
        return until + EXPIRY_MARGIN_SECONDS;
    }

    /**
     * This state as the whole-item replacement {@code seq} of {@code writer} writes it: the next
     * version and history version, the writer's sequence number recorded, writers silent for
     * {@link #WRITER_MEMORY_MILLIS} forgotten.
     */
    WindowState replacedBy(String writer, long seq, long nowMillis) {
        Map<String, Long> next = new TreeMap<>();
        for (Map.Entry<String, Long> w : writers.entrySet()) {
            if (w.getValue() >= nowMillis - WRITER_MEMORY_MILLIS) {
                next.put(w.getKey(), w.getValue());
            }
        }
        next.put(writer, seq);
        // A replacement that creates the item starts at 2: an increment planned on no item expects
        // 1 (see SlotIncrement#creates) and must not join an item that may hold a pause.
        long nextHistory = version == 0 ? 2 : historyVersion + 1;
        return new WindowState(version + 1, nextHistory, newest, 0, new TreeMap<>(slots), day, dayRequests,
                pausedUntilMillis, next, fallbackMergedAtMillis, cutPercent, cutUntilMillis);
    }

    /** A new item as an increment that creates it starts from: history version 1, the day given. */
    static WindowState created(LocalDate day) {
        return new WindowState(0, 1, 0, 0, new TreeMap<>(), day, 0, 0, Map.of(), 0, 0, 0);
    }

    /** See {@link #previousNewest}. */
    public long previousNewest() {
        return previousNewest;
    }

    /** Writer id -> sequence number of its last write applied. */
    public Map<String, Long> writers() {
        return writers;
    }

    /** The second a grant made now is counted in: never earlier than what the item already holds. */
    long effectiveSecond(Instant now, ZoneId zone) {
        long second = Math.max(now.getEpochSecond(), newest);
        if (day != null) {
            second = Math.max(second, day.atStartOfDay(zone).toEpochSecond());
        }
        return second;
    }

    /** Drops slots no window ending at {@code second} can see, and starts a new day if one began. */
    WindowState advancedTo(long second, ZoneId zone, int window) {
        NavigableMap<Long, long[]> kept = new TreeMap<>(slots.tailMap(second - (window - 1), true));
        LocalDate today = LocalDate.ofInstant(Instant.ofEpochSecond(second), zone);
        if (day == null || today.isAfter(day)) {
            return with(kept, today, 0, pausedUntilMillis);
        }
        return with(kept, day, dayRequests, pausedUntilMillis);
    }

    /**
     * Whether one request of {@code inputTokens} fits at {@code second} (this state advanced to it),
     * or why not and when it will. Null means it fits.
     */
    Denial check(Instant now, long second, long inputTokens, Limits limits, ZoneId zone, int window) {
        Denial denial = null;
        if (pausedUntilMillis > now.toEpochMilli()) {
            denial = new Denial(Instant.ofEpochMilli(pausedUntilMillis), QuotaDimension.PAUSED, false);
        }
        if (dayRequests + 1 > limits.requestsPerDay) {
            Instant midnight = day.plusDays(1).atStartOfDay(zone).toInstant();
            denial = Denial.later(denial, new Denial(midnight, QuotaDimension.REQUESTS_PER_DAY,
                    limits.requestsPerDay < 1));
        }
        denial = Denial.later(denial, windowDenial(second, window, 1, limits.requestsPerMinute, 0,
                QuotaDimension.REQUESTS_PER_MINUTE));
        return Denial.later(denial, windowDenial(second, window, inputTokens, limits.inputTokensPerMinute, 1,
                QuotaDimension.INPUT_TOKENS_PER_MINUTE));
    }

    private Denial windowDenial(long second, int window, long amount, long limit, int index,
            QuotaDimension dimension) {
        if (amount > limit) {
            return new Denial(Instant.ofEpochSecond(second + window), dimension, true);
        }
        long used = sum(second, window, index);
        if (used + amount <= limit) {
            return null;
        }
        // The oldest slots leave the window first: slot k stops counting from second k + window.
        long freed = 0;
        for (Map.Entry<Long, long[]> slot : slots.headMap(second, true).entrySet()) {
            freed += slot.getValue()[index];
            if (used - freed + amount <= limit) {
                return new Denial(Instant.ofEpochSecond(slot.getKey() + window), dimension, false);
            }
        }
        // Only a debit (tokens above the limit) in the newest slot can leave nothing to free.
        return new Denial(Instant.ofEpochSecond(second + window), dimension, false);
    }

    /** {@code requests} grants of {@code inputTokens} in all, in {@code second}: a lease. */
    WindowState plusGrants(long second, long requests, long inputTokens) {
        NavigableMap<Long, long[]> next = new TreeMap<>(slots);
        long[] old = next.getOrDefault(second, new long[2]);
        next.put(second, new long[] {old[0] + requests, old[1] + inputTokens});
        return with(next, day, dayRequests + requests, pausedUntilMillis);
    }

    /**
     * Gives back the unused rest of a lease taken in {@code second}: from its slot if the window
     * still holds it, and from the day's count if it is still that day.
     */
    WindowState minusGrants(long second, long requests, long inputTokens, ZoneId zone) {
        NavigableMap<Long, long[]> next = new TreeMap<>(slots);
        long[] old = next.get(second);
        if (old != null) {
            next.put(second, new long[] {Math.max(0, old[0] - requests), Math.max(0, old[1] - inputTokens)});
        }
        boolean sameDay = day != null && day.equals(LocalDate.ofInstant(Instant.ofEpochSecond(second), zone));
        long requestsOfDay = sameDay ? Math.max(0, dayRequests - requests) : dayRequests;
        return with(next, day, requestsOfDay, pausedUntilMillis);
    }

    WindowState plusGrant(long second, long inputTokens) {
        NavigableMap<Long, long[]> next = new TreeMap<>(slots);
        long[] old = next.getOrDefault(second, new long[2]);
        next.put(second, new long[] {old[0] + 1, old[1] + inputTokens});
        return with(next, day, dayRequests + 1, pausedUntilMillis);
    }

    /**
     * Corrects the tokens of a grant counted in {@code grantSecond}. A debit for a grant whose slot
     * has already left the window is counted now instead, so later grants still pay for it; a refund
     * for such a slot has nothing left to free.
     */
    WindowState adjustTokens(long grantSecond, long delta, long second) {
        long target = grantSecond;
        if (!slots.containsKey(grantSecond) || grantSecond > second) {
            if (delta <= 0) {
                return this;
            }
            target = second;
        }
        NavigableMap<Long, long[]> next = new TreeMap<>(slots);
        long[] old = next.getOrDefault(target, new long[2]);
        next.put(target, new long[] {old[0], Math.max(0, old[1] + delta)});
        return with(next, day, dayRequests, pausedUntilMillis);
    }

    WindowState pausedUntil(long untilMillis) {
        if (untilMillis <= pausedUntilMillis) {
            return this;
        }
        return with(new TreeMap<>(slots), day, dayRequests, untilMillis);
    }

    /**
     * Adds what {@code delta} recorded elsewhere (grants made in fallback) to this state, already
     * advanced to {@code second}: slots still in the window, the day's requests if it is the same
     * day, and the later pause.
     */
    WindowState merged(WindowState delta, long second, int window) {
        NavigableMap<Long, long[]> next = new TreeMap<>(slots);
        for (Map.Entry<Long, long[]> slot : delta.slots.tailMap(second - (window - 1), true).entrySet()) {
            long key = Math.min(slot.getKey(), second);
            long[] old = next.getOrDefault(key, new long[2]);
            long[] add = slot.getValue();
            next.put(key, new long[] {Math.max(0, old[0] + add[0]), Math.max(0, old[1] + add[1])});
        }
        long requests = Objects.equals(delta.day, day) ? dayRequests + delta.dayRequests : dayRequests;
        return with(next, day, requests, Math.max(pausedUntilMillis, delta.pausedUntilMillis));
    }

    /** Records a change made while the store was unreachable, to be merged when it answers again. */
    WindowState plusDelta(long second, long requests, long tokens, LocalDate ofDay, int window) {
        NavigableMap<Long, long[]> next = new TreeMap<>(slots.tailMap(second - (window - 1), true));
        long[] old = next.getOrDefault(second, new long[2]);
        next.put(second, new long[] {old[0] + requests, old[1] + tokens});
        long requestsOfDay = Objects.equals(ofDay, day) ? dayRequests + requests : requests;
        return with(next, ofDay, requestsOfDay, pausedUntilMillis);
    }

    /**
     * Whether the write {@code seq} of {@code writer} is in the item: a writer that lost the answer
     * to its write (a timeout, a retried request then refused by the condition the write itself
     * made false) learns from this that it was applied, instead of applying it a second time. Exact,
     * since a writer has one write in flight at a time and numbers them in increasing order.
     */
    public boolean applied(String writer, long seq) {
        Long last = writers.get(writer);
        return last != null && last >= seq;
    }

    /** When an instance last merged the grants it made in fallback into the item; null if never. */
    public Instant fallbackMergedAt() {
        return fallbackMergedAtMillis == 0 ? null : Instant.ofEpochMilli(fallbackMergedAtMillis);
    }

    WindowState withFallbackMergedAt(long millis) {
        return new WindowState(version, historyVersion, newest, previousNewest, new TreeMap<>(slots), day, dayRequests,
                pausedUntilMillis, writers, millis, cutPercent, cutUntilMillis);
    }

    /** Percent off RPM and TPM now (0: the full limits): after a 429 that got through anyway. */
    public int cutPercentAt(Instant now) {
        return now.toEpochMilli() < cutUntilMillis ? cutPercent : 0;
    }

    /** Until when {@link #cutPercentAt} applies (epoch millis; 0 if never cut). */
    public Instant cutUntil() {
        return Instant.ofEpochMilli(cutUntilMillis);
    }

    int cutPercent() {
        return cutPercent;
    }

    long cutUntilMillis() {
        return cutUntilMillis;
    }

    long pausedUntilMillis() {
        return pausedUntilMillis;
    }

    long fallbackMergedAtMillis() {
        return fallbackMergedAtMillis;
    }

    /**
     * A 429 got through: every limiter of the scope grants {@code step} percent less (on top of a
     * cut still in force, at most {@code max} percent) until {@code hold} after now; then the full
     * limits come back.
     */
    WindowState tightened(Instant now, int step, int max, long holdMillis) {
        int next = Math.min(max, cutPercentAt(now) + step);
        return new WindowState(version, historyVersion, newest, previousNewest, new TreeMap<>(slots), day, dayRequests,
                pausedUntilMillis, writers, fallbackMergedAtMillis, next, now.toEpochMilli() + holdMillis);
    }

    /** This state with no pause: a pause cleared by hand ({@code bin/quota clear-pause}). */
    WindowState withoutPause() {
        return with(new TreeMap<>(slots), day, dayRequests, 0);
    }

    boolean isEmpty() {
        return slots.isEmpty() && dayRequests == 0 && pausedUntilMillis == 0;
    }

    private long sum(long second, int window, int index) {
        long total = 0;
        for (long[] slot : slots.subMap(second - (window - 1), true, second, true).values()) {
            total += slot[index];
        }
        return total;
    }

    /** Sums every slot kept: the item keeps the slots of its last writer's window. */
    @Override
    public String toString() {
        long requests = 0;
        long tokens = 0;
        for (long[] slot : slots.values()) {
            requests += slot[0];
            tokens += slot[1];
        }
        return "WindowState{v=" + version + ", hv=" + historyVersion + ", newest=" + newest + ", slots=" + slots.size() + ", requestsInSlots=" + requests
                + ", tokensInSlots=" + tokens + ", day=" + day
                + ", dayRequests=" + dayRequests + ", pausedUntil=" + pausedUntil() + "}";
    }

    /** Why a request does not fit now, and when it will (or that it never will). */
    static final class Denial {
        final Instant retryAt;
        final QuotaDimension dimension;
        final boolean impossible;

        Denial(Instant retryAt, QuotaDimension dimension, boolean impossible) {
            this.retryAt = retryAt;
            this.dimension = dimension;
            this.impossible = impossible;
        }

        /** An impossible denial wins; otherwise the later one, since both must have passed. */
        static Denial later(Denial a, Denial b) {
            if (a == null) {
                return b;
            }
            if (b == null) {
                return a;
            }
            if (a.impossible != b.impossible) {
                return a.impossible ? a : b;
            }
            return b.retryAt.isAfter(a.retryAt) ? b : a;
        }
    }
}
