package io.paralleltranslation.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The window arithmetic, without a limiter around it. */
class WindowStateTest {
    private static final ZoneId LA = QuotaConfig.DEFAULT_ZONE;
    private static final Limits LIMITS = new Limits(3, 100, 10);
    private static final long T = Instant.parse("2026-06-01T12:00:00Z").getEpochSecond();

    @Test
    void sixtyOneSlotsMakeTheWindowWithoutAMargin() {
        WindowState state = WindowState.empty().advancedTo(T, LA, 61).plusGrant(T, 10);
        assertThat(state.requestsInWindow(T + 60, 61)).isEqualTo(1);
        assertThat(state.requestsInWindow(T + 61, 61)).isZero();
        assertThat(state.advancedTo(T + 61, LA, 61).slots()).isEmpty();
        assertThat(state.advancedTo(T + 60, LA, 61).slots()).containsOnlyKeys(T);
    }

    @Test
    void eachSecondOfMarginKeepsASlotOneSecondLonger() {
        WindowState state = WindowState.empty().advancedTo(T, LA, 62).plusGrant(T, 10);
        assertThat(state.requestsInWindow(T + 61, 62)).isEqualTo(1);
        assertThat(state.tokensInWindow(T + 61, 62)).isEqualTo(10);
        assertThat(state.requestsInWindow(T + 62, 62)).isZero();
        assertThat(state.advancedTo(T + 61, LA, 62).slots()).containsOnlyKeys(T);
        assertThat(state.advancedTo(T + 62, LA, 62).slots()).isEmpty();
        WindowState.Denial denial = state.check(Instant.ofEpochSecond(T + 61), T + 61, 100, LIMITS, LA, 62);
        assertThat(denial.retryAt).isEqualTo(Instant.ofEpochSecond(T + 62));

        java.util.NavigableMap<Long, long[]> slots = new java.util.TreeMap<>();
        slots.put(T, new long[] {1, 1});
        WindowState noDay = new WindowState(1, slots, null, 0, 0);
        assertThat(noDay.expiresAtEpochSecond(LA, 61)).isEqualTo(T + 61 + 3_600);
        assertThat(noDay.expiresAtEpochSecond(LA, 62)).isEqualTo(T + 62 + 3_600);
        LocalDate day = LocalDate.of(2026, 6, 1);
        WindowState delta = WindowState.empty().plusDelta(T - 61, 1, 5, day, 62);
        assertThat(WindowState.empty().advancedTo(T, LA, 62).merged(delta, T, 62).requestsInWindow(T, 62))
                .isEqualTo(1);
        assertThat(WindowState.empty().advancedTo(T, LA, 61).merged(delta, T, 61).requestsInWindow(T, 62))
                .isZero();
    }

    @Test
    void aLaggingClockCountsItsGrantInTheNewestSlot() {
        WindowState state = WindowState.empty().advancedTo(T, LA, 61).plusGrant(T, 10);
        Instant lagging = Instant.ofEpochSecond(T - 5);
        assertThat(state.effectiveSecond(lagging, LA)).isEqualTo(T);
        WindowState dayOnly = WindowState.empty().advancedTo(T, LA, 61).pausedUntil(1);
        long laMidnight = LocalDate.of(2026, 6, 1).atStartOfDay(LA).toEpochSecond();
        assertThat(dayOnly.effectiveSecond(Instant.ofEpochSecond(laMidnight - 30), LA)).isEqualTo(laMidnight);
    }

    @Test
    void theDayNeverGoesBack() {
        WindowState today = WindowState.empty().advancedTo(T, LA, 61).plusGrant(T, 1);
        WindowState behind = today.advancedTo(T - 86_400, LA, 61);
        assertThat(behind.day()).isEqualTo(today.day());
        assertThat(behind.dayRequests()).isEqualTo(1);
    }

    @Test
    void aDebitAboveTheLimitInTheNewestSlotWaitsAFullWindow() {
        WindowState state = WindowState.empty().advancedTo(T, LA, 62).plusGrant(T, 50).adjustTokens(T, 80, T);
        WindowState.Denial denial = state.check(Instant.ofEpochSecond(T), T, 1, LIMITS, LA, 62);
        assertThat(denial.dimension).isEqualTo(QuotaDimension.INPUT_TOKENS_PER_MINUTE);
        assertThat(denial.retryAt).isEqualTo(Instant.ofEpochSecond(T + 62));
        assertThat(state.adjustTokens(T + 1, -5, T)).isSameAs(state);
    }

    @Test
    void anImpossibleDenialOutranksALaterOne() {
        WindowState.Denial impossible = new WindowState.Denial(Instant.ofEpochSecond(T), QuotaDimension.REQUESTS_PER_DAY, true);
        WindowState.Denial later = new WindowState.Denial(Instant.ofEpochSecond(T + 9), QuotaDimension.PAUSED, false);
        assertThat(WindowState.Denial.later(later, impossible)).isSameAs(impossible);
        assertThat(WindowState.Denial.later(impossible, later)).isSameAs(impossible);
        assertThat(WindowState.Denial.later(null, later)).isSameAs(later);
    }

    @Test
    void mergingAddsOnlyWhatStillCounts() {
        LocalDate day = LocalDate.of(2026, 6, 1);
        WindowState target = WindowState.empty().advancedTo(T, LA, 61).plusGrant(T, 10);
        WindowState delta = WindowState.empty().plusDelta(T - 100, 1, 5, day, 61).plusDelta(T, 2, 20, day, 61)
                .plusDelta(T + 3, 0, -50, day, 61);
        WindowState merged = target.merged(delta, T, 61);
        assertThat(merged.requestsInWindow(T, 61)).isEqualTo(3);
        assertThat(merged.tokensInWindow(T, 61)).isZero();
        assertThat(merged.dayRequests()).as("the day counts grants older than the window too").isEqualTo(4);
        WindowState otherDay = WindowState.empty().plusDelta(T, 4, 0, day.minusDays(1), 61);
        assertThat(target.merged(otherDay, T, 61).dayRequests()).isEqualTo(1);
        assertThat(otherDay.isEmpty()).isFalse();
        assertThat(WindowState.empty().isEmpty()).isTrue();
        assertThat(merged.toString()).contains("requestsInSlots=3");
        assertThat(WindowState.empty().toString()).contains("requestsInSlots=0");
    }

    @Test
    void aZeroMarginMustBeAcknowledged() {
        QuotaConfig.Builder zero = QuotaConfig.builder("s").requestsPerMinute(1).inputTokensPerMinute(1)
                .requestsPerDay(1).windowMargin(Duration.ZERO);
        org.assertj.core.api.Assertions.assertThatThrownBy(zero::build)
                .hasMessageContaining("windowMargin 0 leaves no room for clock skew");
        assertThat(zero.acknowledgeZeroMargin(true).build().windowMargin()).isZero();
    }

    @Test
    void configRejectsNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuotaConfig.builder(" ").build())
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuotaConfig.builder("s").requestsPerDay(1)
                .inputTokensPerMinute(1).build()).hasMessageContaining("requestsPerMinute");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuotaConfig.builder("s").requestsPerMinute(1)
                .inputTokensPerMinute(1).requestsPerDay(1).instances(0).build()).hasMessageContaining("instances");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuotaConfig.builder("s").requestsPerMinute(1)
                .inputTokensPerMinute(1).requestsPerDay(1).probeInterval(java.time.Duration.ZERO).build())
                .hasMessageContaining("probeInterval");
        for (java.time.Duration margin : new java.time.Duration[] {java.time.Duration.ofSeconds(-1),
                java.time.Duration.ofMillis(1_500), java.time.Duration.ofSeconds(61)}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuotaConfig.builder("s").requestsPerMinute(1)
                    .inputTokensPerMinute(1).requestsPerDay(1).windowMargin(margin).build())
                    .hasMessageContaining("windowMargin must be whole seconds from 0 to 60 s");
        }
        QuotaConfig config = QuotaConfig.builder("gemini#proj#gemini-2.5-flash")
                .requestsPerMinute(10).inputTokensPerMinute(1000).requestsPerDay(7).instances(3)
                .zone(ZoneId.of("UTC")).build();
        assertThat(config.scope()).isEqualTo("gemini#proj#gemini-2.5-flash");
        assertThat(config.fallbackShare().requestsPerDay).isEqualTo(2);
        assertThat(config.toString()).contains("rpm=10").contains("instances=3").contains("windowMargin=1s");
        assertThat(config.windowMargin()).isEqualTo(QuotaConfig.DEFAULT_WINDOW_MARGIN);
        assertThat(config.windowSlots()).isEqualTo(62);
    }
}
