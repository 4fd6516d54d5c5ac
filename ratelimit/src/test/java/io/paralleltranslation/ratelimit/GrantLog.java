package io.paralleltranslation.ratelimit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every grant's instant and true input tokens, and the proof the tests and the benchmark rely on:
 * no window of 60 s (or 60 s plus the limiter's margin), of any start, holds more than the limits.
 */
final class GrantLog {
    static final long MINUTE_MILLIS = 60_000;
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
     * How many windows {@code [t, t+windowMillis)} exceed RPM or TPM: with 60 s, what an API that
     * counts each call when it arrives would refuse if every call arrived after the same delay; with
     * 60 s plus the limiter's margin, what the limiter itself guarantees. Only windows starting at a
     * grant need checking: sliding any other window forward to its first grant loses nothing.
     */
    int violations(long requestsPerMinute, long tokensPerMinute, long windowMillis) {
        List<long[]> sorted = sorted();
        int violations = 0;
        int end = 0;
        long requests = 0;
        long tokens = 0;
        for (int start = 0; start < sorted.size(); start++) {
            while (end < sorted.size() && sorted.get(end)[0] < sorted.get(start)[0] + windowMillis) {
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
     * (the limit once per started minute), in the dimension that bound the most. A schedule that
     * starts with a full burst reaches 1.0 over a run of a few minutes whatever its steady rate:
     * see {@link #sustainedUtilization} for that.
     */
    double utilization(long requestsPerMinute, long tokensPerMinute, long spanMillis) {
        long minutes = (spanMillis + MINUTE_MILLIS - 1) / MINUTE_MILLIS;
        double requests = size() / (double) (requestsPerMinute * minutes);
        double tokenShare = tokens() / (double) (tokensPerMinute * minutes);
        return Math.max(requests, tokenShare);
    }

    /**
     * The steady rate against the 60 s limit: 60 s over the mean time, from each grant, until the
     * limit has been granted again (the first later grant that, with those since, exceeds RPM or TPM).
     * Exactly 60 s for every grant is the most a 60 s sliding window allows (1.0); a window kept
     * full that frees capacity once per 61 s + margin gives 60 / (61 + margin). Grants whose limit
     * was not reached again before the run ended do not count. NaN if none was.
     */
    double sustainedUtilization(long requestsPerMinute, long tokensPerMinute) {
        List<long[]> sorted = sorted();
        long totalMillis = 0;
        int periods = 0;
        int end = 0;
        long requests = 0;
        long tokens = 0;
        for (int start = 0; start < sorted.size(); start++) {
            // requests and tokens sum the grants start .. end-1, which fit the limits together.
            while (end < sorted.size() && requests + 1 <= requestsPerMinute
                    && tokens + sorted.get(end)[1] <= tokensPerMinute) {
                requests++;
                tokens += sorted.get(end)[1];
                end++;
            }
            if (end == start) {
                // Over a limit on its own (a debit): no period starts here.
                end++;
                continue;
            }
            if (end < sorted.size()) {
                totalMillis += sorted.get(end)[0] - sorted.get(start)[0];
                periods++;
            }
            requests--;
            tokens -= sorted.get(start)[1];
        }
        return periods == 0 ? Double.NaN : MINUTE_MILLIS * (double) periods / totalMillis;
    }

    private List<long[]> sorted() {
        List<long[]> sorted = snapshot();
        sorted.sort(Comparator.comparingLong(g -> g[0]));
        return sorted;
    }
}
