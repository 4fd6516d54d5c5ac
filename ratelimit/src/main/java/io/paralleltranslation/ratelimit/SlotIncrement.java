package io.paralleltranslation.ratelimit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A change to a quota item made of additions to its slot counters, applied only under a condition
 * that keeps every window within the limits however many other increments land before it.
 *
 * <p>Grants (and lease blocks) add only to slot {@code second}, the newest slot after the write;
 * rests and refunds subtract from any slot still in the window. The condition, checked by the
 * store atomically with the write, holds only if:
 * <ul>
 *   <li>no whole-item replacement landed since the state it was planned on ({@code historyVersion}
 *   unchanged): replacements are the only writes that raise an older slot (a debit, a merge), or
 *   change the day, the pause or the cut;</li>
 *   <li>no write has counted in a slot after {@code second} ({@code newest <= second}): writers then
 *   only ever add to the newest slot, so every slot before it is frozen against additions;</li>
 *   <li>if {@code second} is a new slot: the newest slot it was planned on holds no more than
 *   planned (it was the only one others could still add to), and no slot between the two exists:
 *   the item's newest slot is still the one planned on, or it is {@code second} and the write
 *   that moved it there came from the same slot ({@code previousNewest}), so it too saw no slot in
 *   between, and none can be created after it;</li>
 *   <li>slot {@code second} holds at most {@code cap} = limit - (every other slot of the window as
 *   planned) - this write's addition, in requests and in tokens, and the day's count at most
 *   RPD - this write's requests.</li>
 * </ul>
 * So the window ending at {@code second} holds at most the limit after the write, whatever landed
 * meanwhile: two writers that both fit both land (no conflict), two that together exceed it cannot
 * both. A write that only subtracts is conditional on its slots still existing (a subtraction from
 * a slot already dropped would create a negative one). Every increment also records its writer's
 * sequence number, conditional on it being new: an SDK retry of an applied increment is refused
 * and recognised ({@link WindowState#applied}), never added twice. An increment planned on no item
 * creates it (history version 1, the day planned); one created meanwhile by another such
 * increment of the same day is joined under the same conditions.
 */
public final class SlotIncrement {
    /** The slot additions go to (the newest slot after the write); meaningful only if {@link #adds}. */
    final long second;
    final boolean adds;
    /** slot -> {requests, tokens} added (negative: given back). */
    final NavigableMap<Long, long[]> deltas;
    final long dayDelta;
    final long historyVersion;
    /** Planned on no item: creates it, or joins the one another creator of the same day made. */
    final boolean creates;
    final LocalDate day;
    /** The newest slot planned on. */
    final long fromNewest;
    /** Its counts as planned, if it is older than {@code second} and still in its window; else null. */
    final long[] basisNewestCounts;
    final long capRequests;
    final long capTokens;
    /** The day's count before the write at most this; Long.MAX_VALUE: no condition. */
    final long capDay;
    /** Slots subtracted from, which must exist. */
    final List<Long> decremented;
    /** Slots out of every window from now on, removed. */
    final List<Long> dropped;
    final String writer;
    final long seq;
    final long expiresAtEpochSecond;

    private SlotIncrement(long second, boolean adds, NavigableMap<Long, long[]> deltas, long dayDelta,
            long historyVersion, boolean creates, LocalDate day, long fromNewest, long[] basisNewestCounts, long capRequests,
            long capTokens, long capDay, List<Long> decremented, List<Long> dropped, String writer, long seq,
            long expiresAtEpochSecond) {
        this.second = second;
        this.adds = adds;
        this.deltas = Collections.unmodifiableNavigableMap(deltas);
        this.dayDelta = dayDelta;
        this.historyVersion = historyVersion;
        this.creates = creates;
        this.day = day;
        this.fromNewest = fromNewest;
        this.basisNewestCounts = basisNewestCounts;
        this.capRequests = capRequests;
        this.capTokens = capTokens;
        this.capDay = capDay;
        this.decremented = Collections.unmodifiableList(decremented);
        this.dropped = Collections.unmodifiableList(dropped);
        this.writer = writer;
        this.seq = seq;
        this.expiresAtEpochSecond = expiresAtEpochSecond;
    }

    /**
     * The change from {@code base} (the item as last seen) to {@code planned} (base advanced to
     * {@code second}, with grants, a lease block, rests and refunds) as an increment, or null if it
     * is not one: a new day, a pause, a cut, a fallback merge, an addition to an older slot (a
     * debit), or an item written before increments existed. {@code minute}: the per-minute limits in
     * force (a cut included), checked over {@code window} slots.
     */
    static SlotIncrement between(WindowState base, WindowState planned, long second, Limits minute,
            long requestsPerDay, int window, String writer, long seq, long expiresAtEpochSecond) {
        boolean creates = base.version() == 0;
        if (creates && planned.day() != null && planned.pausedUntilMillis() == 0 && planned.cutPercent() == 0
                && planned.fallbackMergedAtMillis() == 0) {
            base = WindowState.created(planned.day());
        }
        if (base.historyVersion() == 0 || !Objects.equals(base.day(), planned.day())
                || base.pausedUntilMillis() != planned.pausedUntilMillis() || base.cutPercent() != planned.cutPercent()
                || base.cutUntilMillis() != planned.cutUntilMillis()
                || base.fallbackMergedAtMillis() != planned.fallbackMergedAtMillis() || second < base.newest()) {
            return null;
        }
        long first = second - (window - 1);
        NavigableMap<Long, long[]> deltas = new TreeMap<>();
        List<Long> decremented = new ArrayList<>();
        for (Map.Entry<Long, long[]> slot : planned.slots().entrySet()) {
            long[] before = base.slots().getOrDefault(slot.getKey(), new long[2]);
            long[] after = slot.getValue();
            long dr = after[0] - before[0];
            long dt = after[1] - before[1];
            if (dr == 0 && dt == 0) {
                continue;
            }
            boolean positive = dr > 0 || dt > 0;
            if (positive && slot.getKey() != second) {
                return null;
            }
            if (!positive) {
                if (!base.slots().containsKey(slot.getKey())) {
                    return null;
                }
                decremented.add(slot.getKey());
            }
            deltas.put(slot.getKey(), new long[] {dr, dt});
        }
        long[] own = deltas.get(second);
        boolean adds = own != null && (own[0] > 0 || own[1] > 0);
        long dayDelta = planned.dayRequests() - base.dayRequests();
        if (dayDelta > 0 && !adds) {
            return null;
        }
        // Slots the plan dropped: removed only if out of every window from now on.
        long dropBefore = (adds ? second : base.newest()) - (window - 1);
        List<Long> dropped = new ArrayList<>();
        for (Long slot : base.slots().keySet()) {
            if (!planned.slots().containsKey(slot)) {
                if (slot >= dropBefore) {
                    // Kept in the item as it is (the plan only stopped looking at it).
                    continue;
                }
                dropped.add(slot);
            }
        }
        long[] basisCounts = null;
        long capRequests = 0;
        long capTokens = 0;
        long capDay = Long.MAX_VALUE;
        if (adds) {
            long others0 = 0;
            long others1 = 0;
            for (Map.Entry<Long, long[]> slot : planned.slots().subMap(first, true, second, false).entrySet()) {
                others0 += slot.getValue()[0];
                others1 += slot.getValue()[1];
            }
            capRequests = minute.requestsPerMinute - others0 - own[0];
            capTokens = minute.inputTokensPerMinute - others1 - own[1];
            long[] now = base.slots().getOrDefault(second, new long[2]);
            if (capRequests < now[0] || capTokens < now[1]) {
                // Over a limit as planned (an earlier debit): only a replacement may write it.
                return null;
            }
            if (dayDelta > 0) {
                capDay = requestsPerDay - dayDelta;
                if (capDay < base.dayRequests()) {
                    return null;
                }
            }
            long newest = base.newest();
            if (newest < second && newest >= first) {
                basisCounts = base.slots().getOrDefault(newest, new long[2]).clone();
            }
        }
        if (deltas.isEmpty() && dropped.isEmpty()) {
            return null;
        }
        return new SlotIncrement(second, adds, deltas, dayDelta, base.historyVersion(), creates, base.day(),
                base.newest(), basisCounts, capRequests, capTokens, capDay, decremented, dropped, writer, seq, expiresAtEpochSecond);
    }
}
