package io.paralleltranslation.gemini.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuotaTrackerTest {
    private static final String MODEL = "gemini-2.5-flash";
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    private static QuotaTracker tracker(long rpm, long tpm, long rpd) {
        return new QuotaTracker(new QuotaLimits(rpm, tpm, rpd), Collections.emptyMap(), true);
    }

    @Test
    void requestsPerMinuteSlideOverSixtySeconds() {
        QuotaTracker q = tracker(3, 0, 0);
        assertThat(q.tryAcquire(MODEL, 10, T0)).isEmpty();
        assertThat(q.tryAcquire(MODEL, 10, T0.plusSeconds(20))).isEmpty();
        assertThat(q.tryAcquire(MODEL, 10, T0.plusSeconds(40))).isEmpty();

        List<QuotaViolation> refused = q.tryAcquire(MODEL, 10, T0.plusSeconds(50));
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).kind()).isEqualTo(QuotaViolation.Kind.REQUESTS_PER_MINUTE);
        assertThat(refused.get(0).quotaId()).isEqualTo("GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
        assertThat(refused.get(0).retryAfter()).isEqualTo(Duration.ofSeconds(10));

        assertThat(q.tryAcquire(MODEL, 10, T0.plusMillis(59_999))).as("t0 is still inside").isNotEmpty();
        assertThat(q.tryAcquire(MODEL, 10, T0.plusSeconds(60))).as("t0 left the window").isEmpty();
        assertThat(q.tryAcquire(MODEL, 10, T0.plusSeconds(61))).isNotEmpty();
    }

    @Test
    void refusedRequestsConsumeNothing() {
        QuotaTracker q = tracker(1, 0, 0);
        assertThat(q.tryAcquire(MODEL, 1, T0)).isEmpty();
        for (int i = 1; i < 50; i++) {
            assertThat(q.tryAcquire(MODEL, 1, T0.plusSeconds(i))).isNotEmpty();
        }
        assertThat(q.tryAcquire(MODEL, 1, T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void inputTokensPerMinuteWaitsUntilEnoughTokensLeave() {
        QuotaTracker q = tracker(0, 1000, 0);
        assertThat(q.tryAcquire(MODEL, 400, T0)).isEmpty();
        assertThat(q.tryAcquire(MODEL, 400, T0.plusSeconds(10))).isEmpty();

        List<QuotaViolation> refused = q.tryAcquire(MODEL, 700, T0.plusSeconds(30));
        assertThat(refused).extracting(QuotaViolation::kind).containsExactly(QuotaViolation.Kind.INPUT_TOKENS_PER_MINUTE);
        assertThat(refused.get(0).retryAfter()).as("both earlier requests must leave").isEqualTo(Duration.ofSeconds(40));
        assertThat(q.tryAcquire(MODEL, 200, T0.plusSeconds(30))).as("a small one still fits").isEmpty();
        assertThat(q.tryAcquire(MODEL, 1001, T0.plusSeconds(300)).get(0).retryAfter())
                .as("larger than the whole limit").isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void requestsPerDayResetAtMidnightInLosAngeles() {
        QuotaTracker q = tracker(0, 0, 2);
        Instant lateEvening = Instant.parse("2026-12-02T07:59:00Z"); // 23:59 on Dec 1 in LA (PST, UTC-8)
        assertThat(q.tryAcquire(MODEL, 1, Instant.parse("2026-12-01T09:00:00Z"))).isEmpty(); // 01:00 LA, Dec 1
        assertThat(q.tryAcquire(MODEL, 1, lateEvening)).isEmpty();

        List<QuotaViolation> refused = q.tryAcquire(MODEL, 1, lateEvening.plusSeconds(30));
        assertThat(refused).extracting(QuotaViolation::kind).containsExactly(QuotaViolation.Kind.REQUESTS_PER_DAY);
        assertThat(refused.get(0).retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(q.tryAcquire(MODEL, 1, Instant.parse("2026-12-02T07:59:59.999Z"))).isNotEmpty();

        assertThat(q.tryAcquire(MODEL, 1, Instant.parse("2026-12-02T08:00:00Z"))).as("midnight in LA").isEmpty();
    }

    @Test
    void midnightFollowsDaylightSavingTime() {
        QuotaTracker q = tracker(0, 0, 1);
        assertThat(q.tryAcquire(MODEL, 1, Instant.parse("2026-07-01T06:00:00Z"))).isEmpty(); // 23:00 PDT
        assertThat(q.tryAcquire(MODEL, 1, Instant.parse("2026-07-01T06:30:00Z")).get(0).retryAfter())
                .isEqualTo(Duration.ofMinutes(30));
        assertThat(q.tryAcquire(MODEL, 1, Instant.parse("2026-07-01T07:00:00Z"))).isEmpty();
    }

    @Test
    void everyExceededLimitIsReportedAndModelsAreSeparate() {
        QuotaTracker q = new QuotaTracker(new QuotaLimits(1, 100, 1),
                Collections.singletonMap("gemini-2.5-pro", QuotaLimits.UNLIMITED), false);
        assertThat(q.tryAcquire(MODEL, 100, T0)).isEmpty();

        List<QuotaViolation> refused = q.tryAcquire(MODEL, 1, T0.plusSeconds(1));
        assertThat(refused).extracting(QuotaViolation::kind).containsExactly(QuotaViolation.Kind.REQUESTS_PER_MINUTE,
                QuotaViolation.Kind.INPUT_TOKENS_PER_MINUTE, QuotaViolation.Kind.REQUESTS_PER_DAY);
        assertThat(refused.get(0).quotaId()).isEqualTo("GenerateRequestsPerMinutePerProjectPerModel");
        assertThat(q.tryAcquire("gemini-2.5-pro", 5000, T0.plusSeconds(1))).isEmpty();
        assertThat(q.tryAcquire("gemini-2.0-flash", 1, T0.plusSeconds(1))).as("own window per model").isEmpty();
    }
}
