package io.paralleltranslation.gemini.emulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Per-model quota accounting like Gemini's: requests and input tokens over a sliding 60-second
 * window, requests per day reset at midnight America/Los_Angeles. A refused request consumes
 * nothing (Gemini does not charge refused requests either); an admitted one counts even if the
 * emulator then answers it with an injected fault.
 */
final class QuotaTracker {
    static final ZoneId QUOTA_DAY_ZONE = ZoneId.of("America/Los_Angeles");
    private static final long WINDOW_MILLIS = 60_000;

    private final Map<String, QuotaLimits> limitsByModel;
    private final QuotaLimits defaultLimits;
    private final boolean freeTier;
    private final Map<String, ModelUsage> usage = new HashMap<>();

    QuotaTracker(QuotaLimits defaultLimits, Map<String, QuotaLimits> limitsByModel, boolean freeTier) {
        this.defaultLimits = defaultLimits;
        this.limitsByModel = new HashMap<>(limitsByModel);
        this.freeTier = freeTier;
    }

    /**
     * Admits and records the request, or returns every limit it would exceed (and records nothing).
     */
    synchronized List<QuotaViolation> tryAcquire(String model, long inputTokens, Instant now) {
        QuotaLimits limits = limitsByModel.getOrDefault(model, defaultLimits);
        ModelUsage u = usage.computeIfAbsent(model, m -> new ModelUsage());
        long nowMillis = now.toEpochMilli();
        u.evictBefore(nowMillis - WINDOW_MILLIS);
        LocalDate today = LocalDate.ofInstant(now, QUOTA_DAY_ZONE);
        if (!today.equals(u.day)) {
            u.day = today;
            u.requestsToday = 0;
        }

        List<QuotaViolation> violations = new ArrayList<>(3);
        long rpm = limits.requestsPerMinute();
        if (rpm > 0 && u.window.size() + 1 > rpm) {
            long freedAt = u.entryTime((int) (u.window.size() - rpm)) + WINDOW_MILLIS;
            violations.add(violation(QuotaViolation.Kind.REQUESTS_PER_MINUTE, rpm, model, freedAt - nowMillis));
        }
        long tpm = limits.inputTokensPerMinute();
        if (tpm > 0 && u.tokens + inputTokens > tpm) {
            violations.add(violation(QuotaViolation.Kind.INPUT_TOKENS_PER_MINUTE, tpm, model,
                    u.millisUntilTokensFit(inputTokens, tpm, nowMillis)));
        }
        long rpd = limits.requestsPerDay();
        if (rpd > 0 && u.requestsToday + 1 > rpd) {
            Instant midnight = today.plusDays(1).atStartOfDay(QUOTA_DAY_ZONE).toInstant();
            violations.add(violation(QuotaViolation.Kind.REQUESTS_PER_DAY, rpd, model,
                    midnight.toEpochMilli() - nowMillis));
        }
        if (!violations.isEmpty()) {
            return violations;
        }
        u.window.addLast(new long[] {nowMillis, inputTokens});
        u.tokens += inputTokens;
        u.requestsToday++;
        return Collections.emptyList();
    }

    private QuotaViolation violation(QuotaViolation.Kind kind, long limit, String model, long waitMillis) {
        return new QuotaViolation(kind, freeTier, limit, model, Duration.ofMillis(Math.max(1, waitMillis)));
    }

    private static final class ModelUsage {
        /** {admittedAtMillis, inputTokens}, oldest first. */
        final ArrayDeque<long[]> window = new ArrayDeque<>();
        long tokens;
        LocalDate day;
        long requestsToday;

        void evictBefore(long cutoffInclusive) {
            while (!window.isEmpty() && window.peekFirst()[0] <= cutoffInclusive) {
                tokens -= window.removeFirst()[1];
            }
        }

        long entryTime(int index) {
            Iterator<long[]> it = window.iterator();
            for (int i = 0; i < index; i++) {
                it.next();
            }
            return it.next()[0];
        }

        /** A request larger than the whole limit never fits: Gemini refuses it too; wait a window. */
        long millisUntilTokensFit(long inputTokens, long limit, long nowMillis) {
            if (inputTokens > limit) {
                return WINDOW_MILLIS;
            }
            long remaining = tokens;
            for (long[] entry : window) {
                remaining -= entry[1];
                if (remaining + inputTokens <= limit) {
                    return entry[0] + WINDOW_MILLIS - nowMillis;
                }
            }
            return WINDOW_MILLIS;
        }
    }
}
