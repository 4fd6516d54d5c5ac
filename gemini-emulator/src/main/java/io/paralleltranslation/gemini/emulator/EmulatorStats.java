package io.paralleltranslation.gemini.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A snapshot of what the emulator answered; the same object {@code GET /emulator/stats} returns as
 * JSON. The 60-second window maxima are exact over the request log (any window, not only aligned
 * ones) and come in three scopes: every generate request, the admitted ones (they consumed quota;
 * compare with RPM/TPM) and the ones answered 200.
 */
public final class EmulatorStats {
    static final long WINDOW_MILLIS = 60_000;

    /** Which requests a window maximum counts. */
    public enum Scope {
        ALL, ADMITTED, OK
    }

    /** Generate requests (generateContent and streamGenerateContent) received. */
    public final int requests;
    public final int countTokensRequests;
    public final Map<Integer, Integer> byStatus;
    /** 429 answers per quota id (a 429 naming two limits counts for both). */
    public final Map<String, Integer> byQuotaId;
    public final Map<String, Integer> byOutcome;
    /** The most model requests (any method) the emulator held at once. */
    public final int maxConcurrent;
    /**
     * Model requests whose answer could not be written because the client was gone (it timed out,
     * or its process died, as a killed TaskManager's calls in flight do): paid at Gemini, answer lost.
     * Faults that drop the connection on purpose are not counted.
     */
    public final int undelivered;
    public final Map<Scope, Integer> maxRequestsInAnyWindow;
    public final Map<Scope, Long> maxInputTokensInAnyWindow;
    public final List<RequestLogEntry> log;

    EmulatorStats(List<RequestLogEntry> log, int countTokensRequests, Map<String, Integer> byQuotaId,
            int maxConcurrent, int undelivered) {
        this.undelivered = undelivered;
        this.log = Collections.unmodifiableList(new ArrayList<>(log));
        this.requests = log.size();
        this.countTokensRequests = countTokensRequests;
        this.byQuotaId = Collections.unmodifiableMap(new TreeMap<>(byQuotaId));
        this.maxConcurrent = maxConcurrent;
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (RequestLogEntry e : log) {
            statuses.merge(e.status, 1, Integer::sum);
            outcomes.merge(e.outcome, 1, Integer::sum);
        }
        this.byStatus = Collections.unmodifiableMap(statuses);
        this.byOutcome = Collections.unmodifiableMap(outcomes);
        Map<Scope, Integer> maxRequests = new TreeMap<>();
        Map<Scope, Long> maxTokens = new TreeMap<>();
        for (Scope scope : Scope.values()) {
            long[] max = windowMaxima(log, filter(scope));
            maxRequests.put(scope, (int) max[0]);
            maxTokens.put(scope, max[1]);
        }
        this.maxRequestsInAnyWindow = Collections.unmodifiableMap(maxRequests);
        this.maxInputTokensInAnyWindow = Collections.unmodifiableMap(maxTokens);
    }

    private static Predicate<RequestLogEntry> filter(Scope scope) {
        switch (scope) {
            case ADMITTED:
                return e -> e.admitted;
            case OK:
                return e -> e.status == 200;
            default:
                return e -> true;
        }
    }

    /** {max requests, max input tokens} over every window [t, t + 60 s) of the log. */
    static long[] windowMaxima(List<RequestLogEntry> log, Predicate<RequestLogEntry> counted) {
        List<RequestLogEntry> entries = new ArrayList<>();
        for (RequestLogEntry e : log) {
            if (counted.test(e)) {
                entries.add(e);
            }
        }
        entries.sort(Comparator.comparingLong(e -> e.timeMillis));
        long maxCount = 0;
        long maxTokens = 0;
        long tokens = 0;
        int start = 0;
        for (int end = 0; end < entries.size(); end++) {
            tokens += entries.get(end).inputTokens;
            while (entries.get(end).timeMillis - entries.get(start).timeMillis >= WINDOW_MILLIS) {
                tokens -= entries.get(start).inputTokens;
                start++;
            }
            maxCount = Math.max(maxCount, end - start + 1);
            maxTokens = Math.max(maxTokens, tokens);
        }
        return new long[] {maxCount, maxTokens};
    }

    public int count(int status) {
        return byStatus.getOrDefault(status, 0);
    }

    public int maxRequestsInAnyWindow(Scope scope) {
        return maxRequestsInAnyWindow.get(scope);
    }

    public long maxInputTokensInAnyWindow(Scope scope) {
        return maxInputTokensInAnyWindow.get(scope);
    }
}
