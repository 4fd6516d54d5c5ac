package io.paralleltranslation.ratelimit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What a quota scope can still give, read from its store item without taking anything: the limits,
 * the requests left in the current day (in the quota's zone) and when that day ends. For progress
 * reports, ETAs and dashboards; the limiter's grants stay the only authority.
 */
public final class QuotaOutlook {
    private final long requestsPerMinute;
    private final long inputTokensPerMinute;
    private final long requestsPerDay;
    private final long requestsLeftToday;
    private final Instant dayEndsAt;
    private final ZoneId zone;

    public QuotaOutlook(long requestsPerMinute, long inputTokensPerMinute, long requestsPerDay,
            long requestsLeftToday, Instant dayEndsAt, ZoneId zone) {
        this.requestsPerMinute = requestsPerMinute;
        this.inputTokensPerMinute = inputTokensPerMinute;
        this.requestsPerDay = requestsPerDay;
        this.requestsLeftToday = requestsLeftToday;
        this.dayEndsAt = Objects.requireNonNull(dayEndsAt, "dayEndsAt");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** The outlook at {@code now} of a scope whose item holds {@code state}. */
    public static QuotaOutlook of(QuotaConfig config, WindowState state, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, config.zone());
        long used = today.equals(state.day()) ? state.dayRequests() : 0;
        // The item's day may already be tomorrow if another host's clock runs ahead: then today is spent.
        if (state.day() != null && state.day().isAfter(today)) {
            today = state.day();
            used = state.dayRequests();
        }
        return new QuotaOutlook(config.requestsPerMinute(), config.inputTokensPerMinute(), config.requestsPerDay(),
                Math.max(0, config.requestsPerDay() - used), today.plusDays(1).atStartOfDay(config.zone()).toInstant(),
                config.zone());
    }

    public long requestsPerMinute() {
        return requestsPerMinute;
    }

    public long inputTokensPerMinute() {
        return inputTokensPerMinute;
    }

    public long requestsPerDay() {
        return requestsPerDay;
    }

    public long requestsLeftToday() {
        return requestsLeftToday;
    }

    /** When the daily quota resets (midnight in the quota's zone). */
    public Instant dayEndsAt() {
        return dayEndsAt;
    }

    /**
     * When {@code requests} more requests of about {@code tokensPerRequest} input tokens each can
     * have been granted, starting at {@code now}: at the per-minute pace while today's requests
     * last, the rest at the same pace from each following day's reset.
     */
    public Instant finishEstimate(Instant now, long requests, long tokensPerRequest) {
        double perMinute = requestsPerMinute;
        if (tokensPerRequest > 0) {
            perMinute = Math.min(perMinute, (double) inputTokensPerMinute / tokensPerRequest);
        }
        perMinute = Math.max(perMinute, 1e-9);
        if (requests <= requestsLeftToday) {
            return now.plusMillis((long) Math.ceil(requests / perMinute * 60_000));
        }
        long rest = requests - requestsLeftToday;
        long fullDays = (rest - 1) / requestsPerDay;
        long lastDay = rest - fullDays * requestsPerDay;
        // Calendar days in the quota's zone: a day with a clock change lasts 23 or 25 hours.
        return dayEndsAt.atZone(zone).plusDays(fullDays).toInstant()
                .plusMillis((long) Math.ceil(lastDay / perMinute * 60_000));
    }

    @Override
    public String toString() {
        return "QuotaOutlook{rpm=" + requestsPerMinute + ", tpm=" + inputTokensPerMinute + ", rpd=" + requestsPerDay
                + ", leftToday=" + requestsLeftToday + ", dayEndsAt=" + dayEndsAt + "}";
    }
}
