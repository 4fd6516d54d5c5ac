package io.paralleltranslation.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhysicalBoundTest {
    @Test
    void withoutAQuotaItIsRoundsOfCallsThroughTheConcurrency() {
        assertThat(PhysicalBound.seconds(10, 10_000, 20, 0, 0, 0, 4_000)).isEqualTo(10.0);
        assertThat(PhysicalBound.seconds(60, 10_000, 20, 0, 0, 0, 4_000)).isEqualTo(30.0);
        assertThat(PhysicalBound.seconds(10, 10_000, 1, 0, 0, 0, 4_000)).isEqualTo(100.0);
        assertThat(PhysicalBound.seconds(0, 10_000, 1, 0, 0, 0, 4_000)).isZero();
    }

    @Test
    void aBindingRpmAdmitsOneMinutesWorthPerSixtySecondsAtArrival() {
        // 60 calls at 10 RPM: the 51st can arrive 300 s after the first, and answers 10 s later.
        assertThat(PhysicalBound.seconds(60, 10_000, 20, 10, 250_000, 250, 4_000)).isEqualTo(310.0);
        // 10 RPM does not bind 10 calls.
        assertThat(PhysicalBound.seconds(10, 10_000, 20, 10, 250_000, 250, 4_000)).isEqualTo(10.0);
    }

    @Test
    void aBindingTpmLimitsCallsPerWindowByTheirTokens() {
        // 25,000 tokens a minute at 10,000 a call: two calls a minute.
        assertThat(PhysicalBound.seconds(5, 1_000, 10, 0, 25_000, 0, 10_000)).isEqualTo(121.0);
    }

    @Test
    void callsBeyondTheDailyQuotaCannotFinishToday() {
        assertThat(PhysicalBound.seconds(300, 1_000, 10, 1_000, 0, 250, 10)).isInfinite();
    }
}
