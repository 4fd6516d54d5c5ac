package io.paralleltranslation.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What an operator of the job does to a quota item by hand ({@code bin/quota}): read it as text,
 * and clear a pause (e.g. one recorded for a per-day 429 that a raised quota made wrong). Every
 * change is the same conditional write the limiters make, so it never loses their grants.
 */
public final class QuotaAdmin {
    private static final int MAX_ATTEMPTS = 20;

    private QuotaAdmin() {}

    /** The item of {@code scope} as lines of text: version, day count, pause, window, fallback, slots. */
    public static String describe(String scope, WindowState state, QuotaConfig config, Instant now) {
        StringBuilder s = new StringBuilder();
        s.append("scope: ").append(scope).append('\n');
        if (state.version() == 0) {
            return s.append("no item: nothing granted yet (or it expired)\n").toString();
        }
        ZoneId zone = config.zone();
        int window = config.windowSlots();
        s.append("version: ").append(state.version()).append('\n');
        s.append("day: ").append(state.day()).append(" (").append(zone).append("), requests granted: ")
                .append(state.dayRequests()).append(" of ").append(config.requestsPerDay()).append('\n');
        Instant paused = state.pausedUntil();
        s.append("pause: ").append(paused.isAfter(now)
                ? "until " + paused + " (" + Duration.between(now, paused).getSeconds() + " s from now)"
                : "none").append('\n');
        long second = state.effectiveSecond(now, zone);
        s.append(String.format(Locale.ROOT, "window (%d s ending now): requests %d of %d, input tokens %d of %d%n",
                window, state.requestsInWindow(second, window), config.requestsPerMinute(),
                state.tokensInWindow(second, window), config.inputTokensPerMinute()));
        int cut = state.cutPercentAt(now);
        s.append("limits cut: ").append(cut == 0 ? "none" : cut + "% off RPM and TPM after a 429 that got through, "
                + "until " + state.cutUntil()).append('\n');
        Instant merged = state.fallbackMergedAt();
        s.append("fallback: ").append(merged == null ? "no grants from a fallback merged yet"
                : "grants made in fallback last merged at " + merged).append('\n');
        s.append("slots (second: requests, input tokens):\n");
        for (Map.Entry<Long, long[]> slot : state.slots().entrySet()) {
            s.append("  ").append(Instant.ofEpochSecond(slot.getKey())).append(": ").append(slot.getValue()[0])
                    .append(", ").append(slot.getValue()[1]).append('\n');
        }
        return s.toString();
    }

    /**
     * Removes the scope's pause, if any, with a conditional write (retried on a lost race). True if
     * a pause in force was cleared, false if there was none.
     */
    public static boolean clearPause(QuotaStore store, QuotaConfig config, Instant now) throws Exception {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            WindowState state = store.read(config.scope()).get();
            if (!state.pausedUntil().isAfter(now)) {
                return false;
            }
            WindowState next = state.withoutPause().replacedBy("admin", now.toEpochMilli(), now.toEpochMilli());
            CompletableFuture<QuotaStore.WriteResult> write = store.write(config.scope(), state.version(), next,
                    next.expiresAtEpochSecond(config.zone(), config.windowSlots()));
            if (write.get().isWritten()) {
                return true;
            }
        }
        throw new IllegalStateException("the item of " + config.scope() + " changed " + MAX_ATTEMPTS
                + " times while clearing its pause; try again");
    }
}
