package io.paralleltranslation.ratelimit;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one limiter instance has itself put into the item's window, per slot: the grants and lease
 * blocks of its writes that landed, less the rests and refunds it gave back. It only sizes leases
 * (see {@link WindowQuotaLimiter}): the guarantee rests on the store's condition, never on this.
 */
final class OwnWindowUse {
    /** slot second -> {requests, tokens}. */
    private final TreeMap<Long, long[]> slots = new TreeMap<>();

    void add(long second, long requests, long tokens) {
        long[] counts = slots.computeIfAbsent(second, s -> new long[2]);
        counts[0] += requests;
        counts[1] += tokens;
    }

    /** {requests, tokens} in the window of {@code window} slots ending at {@code second}; older slots are forgotten. */
    long[] inWindow(long second, int window) {
        slots.headMap(second - window, true).clear();
        long requests = 0;
        long tokens = 0;
        for (Map.Entry<Long, long[]> slot : slots.headMap(second, true).entrySet()) {
            requests += slot.getValue()[0];
            tokens += slot.getValue()[1];
        }
        return new long[] {Math.max(0, requests), Math.max(0, tokens)};
    }
}
