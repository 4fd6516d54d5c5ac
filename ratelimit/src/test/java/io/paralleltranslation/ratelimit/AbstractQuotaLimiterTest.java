package io.paralleltranslation.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limiter's contract, run against every {@link QuotaStore}: in memory as a unit test, and on
 * DynamoDB (dynalite) as an integration test.
 */
abstract class AbstractQuotaLimiterTest {
    static final Instant NOON = Instant.parse("2026-06-01T12:00:00.250Z");
    /** Slots of the window with the default margin of 1 s: a slot counts for 62 s. */
    static final int WINDOW = 62;

    final ManualClock clock = new ManualClock(NOON);
    final String scope = "gemini#test-" + UUID.randomUUID() + "#model";
    private final List<QuotaLimiter> limiters = new ArrayList<>();

    /** The store under test; all limiters of one test share it, as separate hosts share a table. */
    abstract QuotaStore store();

    /** The {@code expiresAt} attribute the scope's item carries in the store. */
    abstract long storedExpiresAt(String scope) throws Exception;

    @AfterEach
    void closeLimiters() {
        limiters.forEach(QuotaLimiter::close);
    }

    WindowQuotaLimiter limiter(long rpm, long tpm, long rpd, LimiterListener listener) {
        return limiter(QuotaConfig.builder(scope).requestsPerMinute(rpm).inputTokensPerMinute(tpm)
                .requestsPerDay(rpd).instances(2).build(), listener);
    }

    WindowQuotaLimiter limiter(QuotaConfig config, LimiterListener listener) {
        WindowQuotaLimiter limiter = WindowQuotaLimiter.builder(store(), config).clock(clock).listener(listener).build();
        limiters.add(limiter);
        return limiter;
    }

    WindowQuotaLimiter limiter(long rpm, long tpm, long rpd) {
        return limiter(rpm, tpm, rpd, LimiterListener.NONE);
    }

    static Acquisition acquire(QuotaLimiter limiter, long tokens) throws Exception {
        return limiter.acquire(tokens).get(10, TimeUnit.SECONDS);
    }

    static Grant granted(QuotaLimiter limiter, long tokens) throws Exception {
        Acquisition acquisition = acquire(limiter, tokens);
        assertThat(acquisition.isGranted()).as("%s", acquisition).isTrue();
        return acquisition.grant().orElseThrow();
    }

    static void assertDenied(Acquisition acquisition, QuotaDimension by, Instant retryAt) {
        assertThat(acquisition.isGranted()).as("%s", acquisition).isFalse();
        assertThat(acquisition.isNeverGrantable()).isFalse();
        assertThat(acquisition.limitedBy()).contains(by);
        assertThat(acquisition.retryAt()).contains(retryAt);
    }

    @Test
    void grantsUpToRpmAndDeniesUntilTheOldestSlotLeavesTheWindow() throws Exception {
        WindowQuotaLimiter limiter = limiter(5, 1_000, 1_000);
        Grant first = granted(limiter, 1);
        granted(limiter, 1);
        granted(limiter, 1);
        assertThat(first.grantedAt()).isEqualTo(NOON);
        clock.advance(Duration.ofSeconds(10));
        granted(limiter, 1);
        granted(limiter, 1);

        Instant firstSlotLeaves = NOON.plusSeconds(WINDOW).minusMillis(250);
        assertDenied(acquire(limiter, 1), QuotaDimension.REQUESTS_PER_MINUTE, firstSlotLeaves);
        clock.set(firstSlotLeaves.minusMillis(1));
        assertDenied(acquire(limiter, 1), QuotaDimension.REQUESTS_PER_MINUTE, firstSlotLeaves);

        clock.set(firstSlotLeaves);
        granted(limiter, 1);
        granted(limiter, 1);
        granted(limiter, 1);
        assertDenied(acquire(limiter, 1), QuotaDimension.REQUESTS_PER_MINUTE, firstSlotLeaves.plusSeconds(10));
    }

    @Test
    void aDeniedRequestTakesNothingFromAnyDimension() throws Exception {
        WindowQuotaLimiter limiter = limiter(3, 100, 1_000);
        granted(limiter, 60);
        assertDenied(acquire(limiter, 50), QuotaDimension.INPUT_TOKENS_PER_MINUTE,
                NOON.plusSeconds(WINDOW).minusMillis(250));
        granted(limiter, 40);
        granted(limiter, 0);
        assertDenied(acquire(limiter, 0), QuotaDimension.REQUESTS_PER_MINUTE, NOON.plusSeconds(WINDOW).minusMillis(250));
        assertThat(store().read(scope).get().tokensInWindow(NOON.getEpochSecond(), WINDOW)).isEqualTo(100);
        assertThat(store().read(scope).get().requestsInWindow(NOON.getEpochSecond(), WINDOW)).isEqualTo(3);
    }

    @Test
    void theLaterOfTwoExhaustedDimensionsDecidesWhenToRetry() throws Exception {
        WindowQuotaLimiter limiter = limiter(2, 100, 1_000);
        granted(limiter, 10);
        clock.advance(Duration.ofSeconds(5));
        granted(limiter, 90);
        assertDenied(acquire(limiter, 50), QuotaDimension.INPUT_TOKENS_PER_MINUTE,
                NOON.plusSeconds(5 + WINDOW).minusMillis(250));
    }

    @Test
    void aRequestNoWindowCanHoldIsNeverGrantable() throws Exception {
        assertThat(acquire(limiter(5, 100, 10), 101).limitedBy()).contains(QuotaDimension.INPUT_TOKENS_PER_MINUTE);
        assertThat(acquire(limiter(5, 100, 10), 101).isNeverGrantable()).isTrue();
        assertThat(acquire(limiter(0, 100, 10), 1).limitedBy()).contains(QuotaDimension.REQUESTS_PER_MINUTE);
        assertThat(acquire(limiter(5, 100, 0), 1).limitedBy()).contains(QuotaDimension.REQUESTS_PER_DAY);
        assertThat(acquire(limiter(5, 100, 10), 100).isGranted()).isTrue();
    }

    @Test
    void badInputFailsClearly() {
        WindowQuotaLimiter limiter = limiter(5, 100, 10);
        assertThatThrownBy(() -> acquire(limiter, -1)).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.reconcile(null, 1).get()).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.reconcile(new Grant(NOON, 1), -1).get())
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rpdResetsAtLosAngelesMidnightAcrossTheAutumnClockChange() throws Exception {
        WindowQuotaLimiter limiter = limiter(100, 1_000, 2);
        clock.set(Instant.parse("2026-11-01T06:59:00Z")); // 23:59 PDT on Oct 31
        granted(limiter, 1);
        granted(limiter, 1);
        Instant nov1 = ZonedDateTime.parse("2026-11-01T00:00-07:00[America/Los_Angeles]").toInstant();
        assertThat(nov1).isEqualTo(Instant.parse("2026-11-01T07:00:00Z"));
        assertDenied(acquire(limiter, 1), QuotaDimension.REQUESTS_PER_DAY, nov1);

        clock.set(nov1);
        granted(limiter, 1);
        granted(limiter, 1);
        // Nov 1 lasts 25 hours: it ends at midnight PST, 08:00 UTC.
        Instant nov2 = Instant.parse("2026-11-02T08:00:00Z");
        assertDenied(acquire(limiter, 1), QuotaDimension.REQUESTS_PER_DAY, nov2);
        clock.set(nov2.minusSeconds(3_601)); // 00:59:59 PDT clock time would already be "Nov 2" in PDT
        assertDenied(acquire(limiter, 1), QuotaDimension.REQUESTS_PER_DAY, nov2);
        clock.set(nov2);
        granted(limiter, 1);
    }

    @Test
    void theOutlookReadsTheDaysRequestsLeftAndWhenTheDayEndsWithoutTakingAny() throws Exception {
        WindowQuotaLimiter limiter = limiter(100, 1_000, 3);
        clock.set(Instant.parse("2026-11-01T06:59:00Z")); // 23:59 PDT on Oct 31
        Instant nov1 = Instant.parse("2026-11-01T07:00:00Z");
        assertThat(limiter.outlook().get(10, TimeUnit.SECONDS).requestsLeftToday()).isEqualTo(3);
        granted(limiter, 1);
        granted(limiter, 1);
        QuotaOutlook outlook = limiter.outlook().get(10, TimeUnit.SECONDS);
        assertThat(outlook.requestsLeftToday()).isEqualTo(1);
        assertThat(outlook.dayEndsAt()).isEqualTo(nov1);
        assertThat(outlook.requestsPerMinute()).isEqualTo(100);
        granted(limiter, 1);
        assertThat(limiter.outlook().get(10, TimeUnit.SECONDS).requestsLeftToday()).isZero();
        // 4 more requests at 100 RPM: none today, 3 on Nov 1 from its midnight, 1 on Nov 2.
        Instant eta = limiter.outlook().get(10, TimeUnit.SECONDS).finishEstimate(clock.instant(), 4, 1);
        assertThat(eta).isEqualTo(nov1.plus(Duration.ofHours(25)).plusMillis(600));
        clock.set(nov1);
        assertThat(limiter.outlook().get(10, TimeUnit.SECONDS).requestsLeftToday()).isEqualTo(3);
    }

    @Test
    void rpdResetsAtLosAngelesMidnightAcrossTheSpringClockChange() throws Exception {
        WindowQuotaLimiter limiter = limiter(100, 1_000, 1);
        clock.set(Instant.parse("2026-03-08T08:00:00Z")); // midnight PST, Mar 8
        granted(limiter, 1);
        // Mar 8 lasts 23 hours: it ends at midnight PDT, 07:00 UTC.
        Instant mar9 = Instant.parse("2026-03-09T07:00:00Z");
        assertDenied(acquire(limiter, 1), QuotaDimension.REQUESTS_PER_DAY, mar9);
        clock.set(mar9.minusMillis(1));
        assertDenied(acquire(limiter, 1), QuotaDimension.REQUESTS_PER_DAY, mar9);
        clock.set(mar9);
        granted(limiter, 1);
    }

    @Test
    void reconcileRefundsAndDebitsTheGrantsSlot() throws Exception {
        LimiterCounters counters = new LimiterCounters();
        WindowQuotaLimiter limiter = limiter(100, 100, 1_000, counters);
        Grant big = granted(limiter, 100);
        assertThat(acquire(limiter, 10).isGranted()).isFalse();

        limiter.reconcile(big, 50).get(10, TimeUnit.SECONDS);
        Grant small = granted(limiter, 10);
        assertThat(counters.overDebitTokens()).isZero();

        clock.advance(Duration.ofSeconds(30));
        limiter.reconcile(small, 70).get(10, TimeUnit.SECONDS);
        assertThat(counters.overDebitTokens()).isEqualTo(20);
        // The debit sits in the grants' slot: nothing fits until that slot leaves the window.
        assertDenied(acquire(limiter, 1), QuotaDimension.INPUT_TOKENS_PER_MINUTE,
                NOON.plusSeconds(WINDOW).minusMillis(250));
        clock.set(NOON.plusSeconds(WINDOW));
        granted(limiter, 100);
        assertThat(limiter.reconcile(big, 100).get(10, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void reconcilingAGrantOlderThanTheWindowRefundsNothingAndDebitsNow() throws Exception {
        WindowQuotaLimiter limiter = limiter(100, 100, 1_000);
        Grant old = granted(limiter, 50);
        clock.advance(Duration.ofSeconds(90));
        limiter.reconcile(old, 10).get(10, TimeUnit.SECONDS);
        granted(limiter, 100);
        limiter.reconcile(old, 60).get(10, TimeUnit.SECONDS);
        assertThat(store().read(scope).get().tokensInWindow(clock.instant().getEpochSecond(), WINDOW)).isEqualTo(110);
    }

    /**
     * A grant in second s counts until s + 61 + margin: any 60 s + margin of real time holds at
     * most the limit, so calls whose grant-to-arrival delays differ by less than the margin reach
     * the API within its limit. Margin 0 is the plain 61-slot window.
     */
    @Test
    void theArrivalMarginKeepsEachSlotInTheWindowThatMuchLonger() throws Exception {
        QuotaConfig oneSecond = QuotaConfig.builder(scope).requestsPerMinute(2).inputTokensPerMinute(1_000)
                .requestsPerDay(1_000).windowMargin(Duration.ofSeconds(1)).build();
        WindowQuotaLimiter limiter = limiter(oneSecond, LimiterListener.NONE);
        granted(limiter, 1);
        granted(limiter, 1);
        clock.set(NOON.plusSeconds(61));
        assertDenied(acquire(limiter, 1), QuotaDimension.REQUESTS_PER_MINUTE, NOON.plusSeconds(62).minusMillis(250));
        clock.set(NOON.plusSeconds(62).minusMillis(250));
        granted(limiter, 1);
        granted(limiter, 1);

        clock.set(NOON);
        QuotaConfig none = QuotaConfig.builder(scope + "-no-margin").requestsPerMinute(2)
                .inputTokensPerMinute(1_000).requestsPerDay(1_000).windowMargin(Duration.ZERO).build();
        WindowQuotaLimiter plain = limiter(none, LimiterListener.NONE);
        granted(plain, 1);
        granted(plain, 1);
        assertDenied(acquire(plain, 1), QuotaDimension.REQUESTS_PER_MINUTE, NOON.plusSeconds(61).minusMillis(250));
        clock.set(NOON.plusSeconds(61).minusMillis(250));
        granted(plain, 1);
        assertThat(store().read(none.scope()).get().slots()).as("NOON's slot has left the window")
                .containsOnlyKeys(NOON.getEpochSecond() + 61);
        assertThat(store().read(scope).get().slots()).containsOnlyKeys(NOON.getEpochSecond() + 62);
    }

    @Test
    void aPushbackPausesEveryLimiterOfTheScope() throws Exception {
        WindowQuotaLimiter first = limiter(100, 1_000, 1_000);
        WindowQuotaLimiter second = limiter(100, 1_000, 1_000);
        granted(second, 1);
        granted(first, 1);
        Instant until = NOON.plusSeconds(30);
        first.pushback(until).get(10, TimeUnit.SECONDS);
        first.pushback(until.minusSeconds(10)).get(10, TimeUnit.SECONDS);

        assertDenied(acquire(first, 1), QuotaDimension.PAUSED, until);
        // The second limiter's cached state predates the pause: its write is refused and it learns.
        assertDenied(acquire(second, 1), QuotaDimension.PAUSED, until);
        clock.set(until);
        granted(second, 1);
        granted(first, 1);
    }

    @Test
    void everyItemCarriesWhenItMayExpire() throws Exception {
        WindowQuotaLimiter limiter = limiter(100, 1_000, 1_000);
        granted(limiter, 1);
        long laMidnight = Instant.parse("2026-06-02T07:00:00Z").getEpochSecond();
        assertThat(storedExpiresAt(scope)).isEqualTo(laMidnight + 3_600);

        Instant pause = Instant.parse("2026-06-03T00:00:00Z");
        limiter.pushback(pause).get(10, TimeUnit.SECONDS);
        assertThat(storedExpiresAt(scope)).isEqualTo(pause.getEpochSecond() + 1 + 3_600);
    }

    @Test
    void limitersSharingAStoreShareTheQuota() throws Exception {
        LimiterCounters counters = new LimiterCounters();
        WindowQuotaLimiter first = limiter(10, 1_000, 1_000, counters);
        WindowQuotaLimiter second = limiter(10, 1_000, 1_000, counters);
        int granted = 0;
        for (int i = 0; i < 12; i++) {
            granted += acquire(i % 2 == 0 ? first : second, 1).isGranted() ? 1 : 0;
        }
        assertThat(granted).isEqualTo(10);
        assertThat(counters.conditionalFailures()).isPositive();
        assertThat(counters.granted()).isEqualTo(10);
    }

    @Test
    void aClosedLimiterRefusesWork() throws Exception {
        WindowQuotaLimiter limiter = limiter(10, 1_000, 1_000);
        Grant grant = granted(limiter, 5);
        limiter.close();
        limiter.close();
        assertThatThrownBy(() -> acquire(limiter, 1)).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> limiter.reconcile(grant, 1).get()).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> limiter.pushback(NOON).get()).hasCauseInstanceOf(IllegalStateException.class);
    }

    /**
     * Threads on two limiters (two hosts) want far more than the quota for five simulated minutes
     * (the clock moves on with every reading). No window of 60 s plus the margin (so no 60 s
     * window either) may exceed a limit, and the binding limit must be used.
     */
    @Test
    void racingThreadsNeverExceedAWindowAndUseTheQuota() throws Exception {
        long rpm = 40;
        long tpm = 1_000;
        WindowQuotaLimiter[] hosts = {limiter(rpm, tpm, 100_000), limiter(rpm, tpm, 100_000)};
        clock.tickOnRead(Duration.ofMillis(5));
        Instant end = NOON.plus(Duration.ofMinutes(5));
        GrantLog log = new GrantLog();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                WindowQuotaLimiter limiter = hosts[t % 2];
                running.add(threads.submit(() -> {
                    while (clock.instant().isBefore(end)) {
                        long estimate = ThreadLocalRandom.current().nextLong(5, 40);
                        Acquisition acquisition = acquire(limiter, estimate);
                        if (acquisition.isGranted()) {
                            Grant grant = acquisition.grant().orElseThrow();
                            long actual = estimate - ThreadLocalRandom.current().nextLong(0, 5);
                            limiter.reconcile(grant, actual).get(10, TimeUnit.SECONDS);
                            log.add(grant.grantedAt().toEpochMilli(), actual);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } finally {
            threads.shutdownNow();
        }
        assertThat(log.violations(rpm, tpm, GrantLog.MINUTE_MILLIS + 1_000)).isZero();
        assertThat(log.violations(rpm, tpm, GrantLog.MINUTE_MILLIS)).isZero();
        assertThat(log.utilization(rpm, tpm, Duration.ofMinutes(5).toMillis())).isGreaterThanOrEqualTo(0.9);
    }
}
