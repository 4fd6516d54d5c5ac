package io.paralleltranslation.job.bench;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.PriorityQueue;

/**
 * The shortest time any client could take for {@code chunks} calls of {@code latencyMillis} each,
 * with at most {@code concurrency} in flight and Gemini's quota judged at arrival: at most
 * {@code rpm} requests and {@code tpm} input tokens in any 60 s window, {@code rpd} a day. Greedy
 * earliest start is optimal here (every call is alike), so the bound is a schedule, not a guess.
 */
final class PhysicalBound {
    private static final long WINDOW_MILLIS = 60_000;

    private PhysicalBound() {}

    /** Seconds from the first call's start to the last answer; infinite when RPD cannot hold them. */
    static double seconds(int chunks, long latencyMillis, int concurrency, long rpm, long tpm, long rpd,
            long tokensPerCall) {
        if (chunks == 0) {
            return 0;
        }
        if (rpd > 0 && chunks > rpd) {
            return Double.POSITIVE_INFINITY;
        }
        PriorityQueue<Long> slotsFreeAt = new PriorityQueue<>();
        for (int i = 0; i < concurrency; i++) {
            slotsFreeAt.add(0L);
        }
        Deque<Long> window = new ArrayDeque<>();
        long end = 0;
        for (int i = 0; i < chunks; i++) {
            long start = slotsFreeAt.poll();
            while (true) {
                long s = start;
                window.removeIf(t -> t <= s - WINDOW_MILLIS);
                boolean requestsFit = rpm <= 0 || window.size() < rpm;
                boolean tokensFit = tpm <= 0 || (window.size() + 1) * tokensPerCall <= tpm;
                if (requestsFit && tokensFit) {
                    break;
                }
                // The earliest arrival leaving the window frees room.
                start = window.peekFirst() + WINDOW_MILLIS;
            }
            window.addLast(start);
            long done = start + latencyMillis;
            slotsFreeAt.add(done);
            end = Math.max(end, done);
        }
        return end / 1000.0;
    }
}
