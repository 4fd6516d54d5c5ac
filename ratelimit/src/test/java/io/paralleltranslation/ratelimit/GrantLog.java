package io.paralleltranslation.ratelimit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every grant's instant and true input tokens, and the proof the tests and the benchmark rely on:
 * no 60-second window (of any start) holds more than the limits.
 */
final class GrantLog {
    private static final long WINDOW_MILLIS = 60_000;
    private final List<long[]> grants = new ArrayList<>();

    synchronized void add(long grantedAtMillis, long tokens) {
        grants.add(new long[] {grantedAtMillis, tokens});
    }

    synchronized void addAll(GrantLog other) {
        grants.addAll(other.snapshot());
    }

    synchronized int size() {
        return grants.size();
    }

    synchronized long tokens() {
        long total = 0;
        for (long[] grant : grants) {
            total += grant[1];
        }
        return total;
    }

    synchronized List<long[]> snapshot() {
        return new ArrayList<>(grants);
    }

    /**
     * How many windows {@code [t, t+60s)} exceed RPM or TPM. Only windows starting at a grant need
     * checking: sliding any other window forward to its first grant loses nothing.
     */
    int violations(long requestsPerMinute, long tokensPerMinute) {
        List<long[]> sorted = snapshot();
        sorted.sort(Comparator.comparingLong(g -> g[0]));
        int violations = 0;
        int end = 0;
        long requests = 0;
        long tokens = 0;
        for (int start = 0; start < sorted.size(); start++) {
            while (end < sorted.size() && sorted.get(end)[0] < sorted.get(start)[0] + WINDOW_MILLIS) {
                requests++;
                tokens += sorted.get(end)[1];
                end++;
            }
            if (requests > requestsPerMinute || tokens > tokensPerMinute) {
                violations++;
            }
            requests--;
            tokens -= sorted.get(start)[1];
        }
        return violations;
    }

    /**
     * Granted over the most any schedule may grant in {@code spanMillis} without breaking a window
     * (the limit once per started minute), in the dimension that bound the most.
     */
    double utilization(long requestsPerMinute, long tokensPerMinute, long spanMillis) {
        long minutes = (spanMillis + WINDOW_MILLIS - 1) / WINDOW_MILLIS;
        double requests = size() / (double) (requestsPerMinute * minutes);
        double tokenShare = tokens() / (double) (tokensPerMinute * minutes);
        return Math.max(requests, tokenShare);
    }
}
