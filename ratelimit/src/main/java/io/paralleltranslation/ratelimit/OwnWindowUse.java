package io.paralleltranslation.ratelimit;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one limiter instance has itself put into the item's window, per slot: the grants and lease
 * blocks of its writes that landed and the fallback grants it merged, less the rests and refunds
 * it gave back. It only sizes leases (see {@link WindowQuotaLimiter}): the guarantee rests on the
 * store's condition, never on this.
 */
final class OwnWindowUse {
    private final int window;
    /** slot second -> {requests, tokens}; only slots of the window ending at the newest one added. */
    private final TreeMap<Long, long[]> slots = new TreeMap<>();

    OwnWindowUse(int window) {
        this.window = window;
    }

    void add(long second, long requests, long tokens) {
        long[] counts = slots.computeIfAbsent(second, s -> new long[2]);
        counts[0] += requests;
        counts[1] += tokens;
        slots.headMap(slots.lastKey() - window, true).clear();
    }

    /** {requests, tokens} in the window ending at {@code second}. */
    long[] inWindow(long second) {
        long requests = 0;
        long tokens = 0;
        for (Map.Entry<Long, long[]> slot : slots.subMap(second - window, false, second, true).entrySet()) {
            requests += slot.getValue()[0];
            tokens += slot.getValue()[1];
        }
        return new long[] {Math.max(0, requests), Math.max(0, tokens)};
    }
}
