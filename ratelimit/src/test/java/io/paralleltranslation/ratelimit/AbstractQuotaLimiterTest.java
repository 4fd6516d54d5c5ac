package io.paralleltranslation.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
        return limiter(QuotaConfig.builder(scope).retryJitter(Duration.ZERO).requestsPerMinute(rpm).inputTokensPerMinute(tpm)
                .requestsPerDay(rpd).instances(2).build(), listener);
    }

    WindowQuotaLimiter limiter(QuotaConfig config, LimiterListener listener) {
        WindowQuotaLimiter limiter = WindowQuotaLimiter.builder(store(), config).clock(clock).listener(listener).build();
        limiters.add(limiter);
        return limiter;
    }

    WindowQuotaLimiter limiter(QuotaStore on, QuotaConfig config, LimiterListener listener, Clock hostClock) {
        WindowQuotaLimiter limiter = WindowQuotaLimiter.builder(on, config).clock(hostClock).listener(listener).build();
        limiters.add(limiter);
        return limiter;
    }

    QuotaConfig config(long rpm, long tpm, int instances) {
        return QuotaConfig.builder(scope).retryJitter(Duration.ZERO).requestsPerMinute(rpm).inputTokensPerMinute(tpm).requestsPerDay(100_000)
                .instances(instances).probeInterval(Duration.ofSeconds(5)).build();
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
        QuotaConfig oneSecond = QuotaConfig.builder(scope).retryJitter(Duration.ZERO).requestsPerMinute(2).inputTokensPerMinute(1_000)
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
        QuotaConfig none = QuotaConfig.builder(scope + "-no-margin").retryJitter(Duration.ZERO).requestsPerMinute(2)
                .inputTokensPerMinute(1_000).requestsPerDay(1_000).windowMargin(Duration.ZERO).acknowledgeZeroMargin(true)
                .build();
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
        assertThat(first.pausedUntil()).isEqualTo(until);
        assertThat(second.pausedUntil()).as("not seen yet").isBefore(until);
        // The second limiter's cached state predates the pause: its write is refused and it learns.
        assertDenied(acquire(second, 1), QuotaDimension.PAUSED, until);
        assertThat(second.pausedUntil()).isEqualTo(until);
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

        // A pause is capped at the next midnight in the quota's zone, where the day ends too.
        limiter.pushback(Instant.parse("2026-06-03T00:00:00Z")).get(10, TimeUnit.SECONDS);
        assertThat(storedExpiresAt(scope)).isEqualTo(laMidnight + 1 + 3_600);
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
        List<CompletableFuture<Void>> reconciles = java.util.Collections.synchronizedList(new ArrayList<>());
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
                            // As the operator does: the refund rides along with a later write.
                            reconciles.add(limiter.reconcile(grant, actual));
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
        CompletableFuture.allOf(reconciles.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
        assertThat(log.violations(rpm, tpm, GrantLog.MINUTE_MILLIS + 1_000)).isZero();
        assertThat(log.violations(rpm, tpm, GrantLog.MINUTE_MILLIS)).isZero();
        assertThat(log.utilization(rpm, tpm, Duration.ofMinutes(5).toMillis())).isGreaterThanOrEqualTo(0.9);
    }

    /**
     * Two hosts whose clocks are 300 ms ahead and 300 ms behind true time race for five simulated
     * minutes (time moves on with every clock reading, so a slow store write makes grants late);
     * a grant handed out more than 200 ms after its instant is not sent, as the operator refuses
     * stale grants; each sent call arrives 0-200 ms after it was handed out. Judged as the API
     * judges, by arrival in every 60 s window: nothing over a limit, since the margin (1 s) covers
     * the spread (up to 400 ms) plus twice the skew. A denied thread waits for its retry time
     * instead of reading the clock in a loop, and time jumps there only when no acquire is being
     * answered: how late a grant is depends on the clock readings its own answer takes, not on how
     * many denied threads spin while the store writes.
     */
    @Test
    void skewedClocksJudgedAtArrivalNeverExceedAMinute() throws Exception {
        long rpm = 40;
        long tpm = 1_000;
        clock.tickOnRead(Duration.ofMillis(5));
        QuotaConfig config = config(rpm, tpm, 2);
        long[] skews = {300, -300};
        WindowQuotaLimiter[] hosts = {
            limiter(store(), config, LimiterListener.NONE, new OffsetClock(clock, Duration.ofMillis(skews[0]))),
            limiter(store(), config, LimiterListener.NONE, new OffsetClock(clock, Duration.ofMillis(skews[1])))};
        Instant end = NOON.plus(Duration.ofMinutes(5));
        GrantLog arrivals = new GrantLog();
        GrantLog grants = new GrantLog();
        AtomicInteger answering = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                WindowQuotaLimiter limiter = hosts[t % 2];
                long skew = skews[t % 2];
                running.add(threads.submit(() -> {
                    while (clock.peek().isBefore(end)) {
                        long estimate = ThreadLocalRandom.current().nextLong(5, 40);
                        answering.incrementAndGet();
                        // True time when the grant is handed out, read on the limiter's thread at once.
                        Object[] decided;
                        try {
                            decided = limiter.acquire(estimate)
                                    .thenApply(a -> new Object[] {a, clock.peek()}).get(10, TimeUnit.SECONDS);
                        } finally {
                            answering.decrementAndGet();
                        }
                        Acquisition acquisition = (Acquisition) decided[0];
                        if (acquisition.isGranted()) {
                            grants.add(((Instant) decided[1]).toEpochMilli(), estimate);
                            long handedOut = ((Instant) decided[1]).toEpochMilli();
                            // As the operator does: a grant older than its limit on the host's clock
                            // is not sent (here 200 ms, so that spread + 2 x skew fits the 1 s margin).
                            long age = handedOut + skew - acquisition.grant().orElseThrow().grantedAt().toEpochMilli();
                            if (age <= 200) {
                                arrivals.add(handedOut + ThreadLocalRandom.current().nextLong(0, 201), estimate);
                            }
                        } else {
                            Instant retryAt = acquisition.retryAt().orElseThrow().minusMillis(skew);
                            while (answering.get() > 0 && clock.peek().isBefore(retryAt)) {
                                Thread.sleep(1);
                            }
                            clock.advanceTo(retryAt);
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
        assertThat(arrivals.violations(rpm, tpm, GrantLog.MINUTE_MILLIS)).isZero();
        long minutes = Duration.ofMinutes(5).toMillis();
        assertThat(grants.utilization(rpm, tpm, minutes)).as("grants handed out").isGreaterThanOrEqualTo(0.9);
        assertThat(arrivals.utilization(rpm, tpm, minutes)).as("calls sent").isGreaterThanOrEqualTo(0.8);
    }

    /**
     * Writes applied whose answers were lost: retried by the SDK (the retry loses the version
     * condition to the write itself) they are found by their batch id and counted once; lost
     * outright they send the limiter to its fallback, and what it grants there is still counted.
     */
    @Test
    void writesWhoseAnswersAreLostAreCountedOnce() throws Exception {
        FaultyStore faulty = new FaultyStore(store());
        LimiterCounters counters = new LimiterCounters();
        WindowQuotaLimiter limiter = limiter(faulty, config(10, 1_000, 2), counters, clock);
        faulty.retryAfterApplying.set(3);
        Grant first = granted(limiter, 10);
        granted(limiter, 10);
        granted(limiter, 10);
        assertThat(counters.lostResponsesRecovered()).isEqualTo(3);
        assertThat(store().read(scope).get().requestsInWindow(NOON.getEpochSecond(), WINDOW)).isEqualTo(3);

        faulty.retryAfterApplying.set(1);
        limiter.reconcile(first, 4).get(10, TimeUnit.SECONDS);
        assertThat(store().read(scope).get().tokensInWindow(NOON.getEpochSecond(), WINDOW)).as("refunded once")
                .isEqualTo(24);

        faulty.loseAnswers.set(1);
        // Applied in the store, but the limiter cannot know: it falls back and grants from its share.
        granted(limiter, 10);
        assertThat(limiter.inFallback()).isTrue();
        clock.advance(Duration.ofSeconds(5));
        awaitOutOfFallback(limiter);
        WindowState item = store().read(scope).get();
        assertThat(item.requestsInWindow(clock.instant().getEpochSecond(), WINDOW))
                .as("the lost batch may count as well, never less than what was granted").isBetween(4L, 5L);
        assertThat(counters.granted()).isEqualTo(4);
    }

    /**
     * Reads work and writes fail (throttling without end, a role without UpdateItem): the limiter
     * stays in fallback however often a probe reads the item, and its own grants keep counting, so
     * it never hands out more than its share per window.
     */
    @Test
    void readsThatWorkWhileWritesFailNeverRenewTheShare() throws Exception {
        FaultyStore faulty = new FaultyStore(store());
        WindowQuotaLimiter limiter = limiter(faulty, config(10, 1_000, 1), LimiterListener.NONE, clock);
        GrantLog log = new GrantLog();
        log.add(granted(limiter, 1).grantedAt().toEpochMilli(), 1);
        faulty.failWrites = true;
        for (int second = 0; second < 300; second++) {
            clock.set(NOON.plusSeconds(second));
            for (int i = 0; i < 3; i++) {
                Acquisition acquisition = acquire(limiter, 1);
                if (acquisition.isGranted()) {
                    log.add(acquisition.grant().orElseThrow().grantedAt().toEpochMilli(), 1);
                }
            }
        }
        assertThat(faulty.reads.get()).as("probes read the item (the first read is the limiter's own)").isGreaterThanOrEqualTo(3);
        assertThat(limiter.inFallback()).isTrue();
        assertThat(log.violations(10, 1_000, GrantLog.MINUTE_MILLIS + 1_000)).isZero();
        assertThat(log.size()).as("the share is used, once per window").isGreaterThanOrEqualTo(40);
    }

    /**
     * Throttling hits one instance while the other writes on: the throttled one backs off and waits
     * instead of taking a fallback share on top of what the other grants.
     */
    @Test
    void aThrottledInstanceBacksOffInsteadOfFallingBack() throws Exception {
        FaultyStore throttled = new FaultyStore(store());
        LimiterCounters counters = new LimiterCounters();
        QuotaConfig config = QuotaConfig.builder(scope).retryJitter(Duration.ZERO).requestsPerMinute(10).inputTokensPerMinute(1_000)
                .requestsPerDay(1_000).instances(2).probeInterval(Duration.ofMillis(500)).build();
        WindowQuotaLimiter healthy = limiter(store(), config, LimiterListener.NONE, clock);
        WindowQuotaLimiter slowed = limiter(throttled, config, counters, clock);
        throttled.throttleWrites = true;
        CompletableFuture<Acquisition> waiting = slowed.acquire(1);
        for (int i = 0; i < 10; i++) {
            granted(healthy, 1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counters.throttled() < 2) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(waiting).isNotDone();
        assertThat(slowed.inFallback()).isFalse();
        throttled.throttleWrites = false;
        assertDenied(waiting.get(10, TimeUnit.SECONDS), QuotaDimension.REQUESTS_PER_MINUTE,
                NOON.plusSeconds(WINDOW).minusMillis(250));
        assertThat(counters.fallbackEntered()).isZero();
    }

    /**
     * A limiter that starts while the store is down has never seen the window: it grants nothing
     * for one window, then keeps to its share; every denial in fallback is capped at the next probe.
     */
    @Test
    void aLimiterStartedDuringAnOutageGrantsNothingForAWindow() throws Exception {
        QuotaConfig config = config(10, 1_000, 2);
        WindowQuotaLimiter before = limiter(store(), config, LimiterListener.NONE, clock);
        for (int i = 0; i < 10; i++) {
            granted(before, 1);
        }
        FaultyStore down = new FaultyStore(store());
        down.failAll(true);
        clock.set(NOON.plusSeconds(1));
        WindowQuotaLimiter started = limiter(down, config, LimiterListener.NONE, clock);
        assertDenied(acquire(started, 1), QuotaDimension.REQUESTS_PER_MINUTE, NOON.plusSeconds(6));
        assertThat(started.inFallback()).isTrue();
        clock.set(NOON.plusSeconds(40));
        assertThat(acquire(started, 1).isGranted()).isFalse();
        Instant blindUntil = Instant.ofEpochSecond(NOON.getEpochSecond() + 1 + WINDOW);
        clock.set(blindUntil);
        for (int i = 0; i < 5; i++) {
            granted(started, 1);
        }
        assertThat(acquire(started, 1).limitedBy()).contains(QuotaDimension.REQUESTS_PER_MINUTE);
    }

    /** A pause never reaches past the next midnight in the quota's zone, where the day's quota resets. */
    @Test
    void aPauseEndsAtTheNextMidnightAtTheLatest() throws Exception {
        WindowQuotaLimiter limiter = limiter(10, 1_000, 1_000);
        limiter.pushback(NOON.plus(Duration.ofDays(2))).get(10, TimeUnit.SECONDS);
        Instant laMidnight = Instant.parse("2026-06-02T07:00:00Z");
        assertDenied(acquire(limiter, 1), QuotaDimension.PAUSED, laMidnight);
    }

    /**
     * After a busy second, the next write takes a lease sized to that demand: the acquires that
     * follow in the same second are granted without a store call, and the unused rest goes back to
     * the item by the flush, so the slot ends up holding exactly what was handed out.
     */
    @Test
    void aLeaseServesTheSecondWithoutWritesAndGivesBackItsRest() throws Exception {
        LimiterCounters counters = new LimiterCounters();
        WindowQuotaLimiter limiter = limiter(config(100, 10_000, 2), counters);
        for (int i = 0; i < 10; i++) {
            granted(limiter, 10);
        }
        clock.advance(Duration.ofSeconds(1));
        granted(limiter, 10);
        long callsAfterLease = counters.storeCalls();
        assertThat(counters.leased()).isEqualTo(9);
        for (int i = 0; i < 4; i++) {
            assertThat(granted(limiter, 10).grantedAt()).isEqualTo(NOON.plusSeconds(1));
        }
        assertThat(counters.storeCalls()).isEqualTo(callsAfterLease);
        long slot = NOON.getEpochSecond() + 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store().read(scope).get().slots().get(slot)[0] != 5) {
            assertThat(System.nanoTime()).as("the lease's rest goes back").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(store().read(scope).get().slots().get(slot)[1]).isEqualTo(50);
        assertThat(store().read(scope).get().dayRequests()).isEqualTo(15);
    }

    /** Retries of a full window are spread (default up to 200 ms later), never earlier. */
    @Test
    void retryInstantsAreSpreadLaterNeverEarlier() throws Exception {
        QuotaConfig jittered = QuotaConfig.builder(scope).requestsPerMinute(1).inputTokensPerMinute(1_000)
                .requestsPerDay(1_000).build();
        WindowQuotaLimiter limiter = limiter(jittered, LimiterListener.NONE);
        granted(limiter, 1);
        Instant exact = NOON.plusSeconds(WINDOW).minusMillis(250);
        java.util.Set<Instant> seen = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            Instant retryAt = acquire(limiter, 1).retryAt().orElseThrow();
            assertThat(retryAt).isBetween(exact, exact.plus(QuotaConfig.DEFAULT_RETRY_JITTER));
            seen.add(retryAt);
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    /**
     * A 429 that got through despite its grant cuts RPM and TPM by 10% for every limiter of the
     * scope (the cut lives in the item), a second one by 20%, and the full limits come back ten
     * minutes after the last.
     */
    @Test
    void aRefusalDespiteAGrantLowersTheLimitsForEveryWorkerThenRecovers() throws Exception {
        LimiterCounters counters = new LimiterCounters();
        WindowQuotaLimiter refused = limiter(config(20, 10_000, 2), counters);
        WindowQuotaLimiter other = limiter(config(20, 10_000, 2), LimiterListener.NONE);
        refused.refusedDespiteGrant(NOON).get(10, TimeUnit.SECONDS);
        refused.refusedDespiteGrant(NOON).get(10, TimeUnit.SECONDS);
        assertThat(counters.limitCuts()).isEqualTo(2);
        int granted = 0;
        for (int i = 0; i < 20; i++) {
            granted += acquire(other, 1).isGranted() ? 1 : 0;
        }
        assertThat(granted).as("20 RPM less 20%, seen by the other limiter").isEqualTo(16);
        assertThat(store().read(scope).get().cutPercentAt(NOON)).isEqualTo(20);

        clock.set(NOON.plus(Duration.ofMinutes(10)).plusSeconds(1));
        granted = 0;
        for (int i = 0; i < 25; i++) {
            granted += acquire(other, 1).isGranted() ? 1 : 0;
        }
        assertThat(granted).as("the full limit again").isEqualTo(20);
    }

    /** What {@code bin/quota} shows and clears, on the store under test. */
    @Test
    void theAdminShowsTheItemAndClearsItsPause() throws Exception {
        QuotaConfig config = config(10, 1_000, 1);
        assertThat(QuotaAdmin.describe(scope, store().read(scope).get(), config, NOON)).contains("no item");
        WindowQuotaLimiter limiter = limiter(config, LimiterListener.NONE);
        granted(limiter, 42);
        limiter.refusedDespiteGrant(NOON.plusSeconds(30)).get(10, TimeUnit.SECONDS);
        String shown = QuotaAdmin.describe(scope, store().read(scope).get(), config, NOON);
        assertThat(shown).contains("scope: " + scope, "requests granted: 1 of 100000",
                "pause: until " + NOON.plusSeconds(30), "requests 1 of 10, input tokens 42 of 1000",
                "limits cut: 10% off RPM and TPM", "fallback: no grants from a fallback merged yet",
                NOON.minusMillis(250) + ": 1, 42");
        assertThat(QuotaAdmin.clearPause(store(), config, NOON)).isTrue();
        assertThat(QuotaAdmin.clearPause(store(), config, NOON)).isFalse();
        assertThat(store().read(scope).get().pausedUntil()).isEqualTo(Instant.EPOCH);
        assertThat(limiter.nextDayStart(NOON)).isEqualTo(Instant.parse("2026-06-02T07:00:00Z"));
    }

    /** RPM 100, TPM 10,000: the limits the increment cases below check against. */
    private static final Limits INCREMENT_LIMITS = new Limits(100, 10_000, 100_000);

    /** An item holding {@code requests} grants of 10 tokens each in slot {@code second}, written as a replacement. */
    private WindowState itemWith(long second, long requests) throws Exception {
        WindowState state = WindowState.empty().advancedTo(second, QuotaConfig.DEFAULT_ZONE, WINDOW)
                .plusGrants(second, requests, requests * 10).replacedBy("setup", 1, NOON.toEpochMilli());
        assertThat(store().write(scope, 0, state, state.expiresAtEpochSecond(QuotaConfig.DEFAULT_ZONE, WINDOW))
                .get().isWritten()).isTrue();
        return store().read(scope).get();
    }

    /** {@code requests} grants of 10 tokens each in {@code second}, planned on {@code base}, as an increment. */
    private static SlotIncrement grants(WindowState base, long second, long requests, String writer, long seq) {
        WindowState planned = base.advancedTo(second, QuotaConfig.DEFAULT_ZONE, WINDOW)
                .plusGrants(second, requests, requests * 10);
        SlotIncrement increment = SlotIncrement.between(base, planned, second, INCREMENT_LIMITS,
                INCREMENT_LIMITS.requestsPerDay, WINDOW, writer, seq, second + 7_200);
        assertThat(increment).as("expressible as an increment").isNotNull();
        return increment;
    }

    private QuotaStore.WriteResult apply(SlotIncrement increment) throws Exception {
        return store().increment(scope, increment).get(10, TimeUnit.SECONDS);
    }

    @Test
    void twoIncrementsThatBothFitBothLandWithoutAConflict() throws Exception {
        long s = NOON.getEpochSecond();
        WindowState base = itemWith(s, 10);
        // Planned on the same state, in the same slot: 10 + 30 + 50 <= 100.
        SlotIncrement a = grants(base, s, 30, "a", 1);
        SlotIncrement b = grants(base, s, 50, "b", 1);
        assertThat(apply(a).isWritten()).isTrue();
        QuotaStore.WriteResult second = apply(b);
        assertThat(second.isWritten()).as("b fits with a: no conflict").isTrue();
        assertThat(second.calls()).isEqualTo(1);
        assertThat(second.current().slots().get(s)).as("the item after b, as returned").containsExactly(90, 900);
        assertThat(second.current().dayRequests()).isEqualTo(90);

        // Both open the next slot, planned on the item before either did: 90 + 4 + 5 <= 100.
        WindowState seen = store().read(scope).get();
        SlotIncrement c = grants(seen, s + 1, 4, "a", 2);
        SlotIncrement d = grants(seen, s + 1, 5, "b", 2);
        assertThat(apply(c).isWritten()).isTrue();
        assertThat(apply(d).isWritten()).as("the second writer of a new slot does not conflict either").isTrue();
        WindowState after = store().read(scope).get();
        assertThat(after.slots().get(s + 1)).containsExactly(9, 90);
        assertThat(after.requestsInWindow(s + 1, WINDOW)).isEqualTo(99);
        assertThat(after.version()).isEqualTo(base.version() + 4);
        assertThat(after.historyVersion()).as("increments leave the history version").isEqualTo(base.historyVersion());
    }

    @Test
    void twoIncrementsCreatingTheItemBothLandAndAThirdThatDoesNotFitIsRefused() throws Exception {
        long s = NOON.getEpochSecond();
        WindowState none = store().read(scope).get();
        assertThat(none.version()).isZero();
        assertThat(apply(grants(none, s, 40, "a", 1)).isWritten()).isTrue();
        assertThat(apply(grants(none, s, 50, "b", 1)).isWritten()).as("joins the item the other created").isTrue();
        assertThat(apply(grants(none, s, 20, "c", 1)).isWritten()).as("40 + 50 + 20 > 100").isFalse();
        WindowState after = store().read(scope).get();
        assertThat(after.slots().get(s)).containsExactly(90, 900);
        assertThat(after.historyVersion()).isEqualTo(1);
        assertThat(after.day()).isEqualTo(java.time.LocalDate.of(2026, 6, 1));
        assertThat(after.dayRequests()).isEqualTo(90);
        // The next slot, opened by two writers planned on the same state: both join.
        assertThat(apply(grants(after, s + 1, 4, "a", 2)).isWritten()).isTrue();
        assertThat(apply(grants(after, s + 1, 6, "b", 2)).isWritten()).isTrue();
        assertThat(apply(grants(after, s + 1, 1, "c", 2)).isWritten()).as("90 + 10 + 1 > 100").isFalse();
    }

    @Test
    void anIncrementPlannedOnNoItemDoesNotJoinOneAPauseCreated() throws Exception {
        long s = NOON.getEpochSecond();
        WindowState none = store().read(scope).get();
        SlotIncrement late = grants(none, s, 1, "a", 1);
        WindowState paused = none.advancedTo(s, QuotaConfig.DEFAULT_ZONE, WINDOW)
                .pausedUntil(NOON.plusSeconds(30).toEpochMilli()).replacedBy("b", 1, NOON.toEpochMilli());
        assertThat(store().write(scope, 0, paused, s + 7_200).get().isWritten()).isTrue();
        assertThat(apply(late).isWritten()).isFalse();
        assertThat(store().read(scope).get().requestsInWindow(s, WINDOW)).isZero();
    }

    @Test
    void ofTwoIncrementsThatTogetherExceedTheLimitExactlyOneLands() throws Exception {
        long s = NOON.getEpochSecond();
        WindowState base = itemWith(s, 10);
        // 10 + 50 + 50 > 100, each fits alone.
        SlotIncrement a = grants(base, s, 50, "a", 1);
        SlotIncrement b = grants(base, s, 50, "b", 1);
        assertThat(apply(a).isWritten()).isTrue();
        QuotaStore.WriteResult refused = apply(b);
        assertThat(refused.isWritten()).isFalse();
        assertThat(refused.current().slots().get(s)).as("the item that refused it").containsExactly(60, 600);
        assertThat(refused.current().applied("b", 1)).isFalse();

        // A slot grew after the plan and a writer opens the next one: refused, the window would hold 110.
        WindowState seen = store().read(scope).get();
        SlotIncrement more = grants(seen, s, 30, "a", 2);
        SlotIncrement next = grants(seen, s + 1, 20, "b", 2);
        assertThat(apply(more).isWritten()).isTrue();
        assertThat(apply(next).isWritten()).as("slot s holds 90, not the 60 b planned on").isFalse();
        // A writer still in slot s after another opened s + 1: refused, the newer slot's check missed it.
        WindowState later = store().read(scope).get();
        assertThat(apply(grants(later, s + 1, 1, "b", 3)).isWritten()).isTrue();
        assertThat(apply(grants(later, s, 1, "a", 3)).isWritten()).isFalse();
        // A replacement (here a pause) in between refuses an increment planned before it.
        WindowState paused = store().read(scope).get();
        SlotIncrement stale = grants(paused, s + 1, 1, "a", 4);
        WindowState withPause = paused.pausedUntil(NOON.plusSeconds(30).toEpochMilli()).replacedBy("c", 1, NOON.toEpochMilli());
        assertThat(store().write(scope, paused.version(), withPause, s + 7_200).get().isWritten()).isTrue();
        assertThat(apply(stale).isWritten()).isFalse();
        WindowState last = store().read(scope).get();
        assertThat(last.requestsInWindow(s + 1, WINDOW)).isEqualTo(91);
        assertThat(last.pausedUntil()).isEqualTo(NOON.plusSeconds(30));
    }

    @Test
    void anIncrementSentAgainAfterItLandedIsRecognisedNotAddedTwice() throws Exception {
        long s = NOON.getEpochSecond();
        WindowState base = itemWith(s, 10);
        SlotIncrement a = grants(base, s, 5, "a", 7);
        assertThat(apply(a).isWritten()).isTrue();
        // The SDK's retry of a request whose answer was lost: the same increment, the same sequence number.
        QuotaStore.WriteResult retried = apply(a);
        assertThat(retried.isWritten()).isFalse();
        assertThat(retried.current().applied("a", 7)).as("found applied").isTrue();
        assertThat(store().read(scope).get().slots().get(s)).containsExactly(15, 150);
        // A rest given back is an increment too, conditional on its slot still being there.
        WindowState seen = store().read(scope).get();
        WindowState rest = seen.advancedTo(s + 1, QuotaConfig.DEFAULT_ZONE, WINDOW)
                .minusGrants(s, 3, 30, QuotaConfig.DEFAULT_ZONE);
        SlotIncrement back = SlotIncrement.between(seen, rest, s + 1, INCREMENT_LIMITS,
                INCREMENT_LIMITS.requestsPerDay, WINDOW, "a", 8, s + 7_200);
        assertThat(apply(back).isWritten()).isTrue();
        assertThat(apply(back).isWritten()).isFalse();
        WindowState after = store().read(scope).get();
        assertThat(after.slots().get(s)).containsExactly(12, 120);
        assertThat(after.dayRequests()).isEqualTo(12);
    }

    @Test
    void twoLimitersGrantingInTheSameSecondDoNotConflict() throws Exception {
        FaultyStore counted = new FaultyStore(store());
        LimiterCounters first = new LimiterCounters();
        LimiterCounters second = new LimiterCounters();
        // No leases: every grant is a write of its own.
        QuotaConfig config = QuotaConfig.builder(scope).retryJitter(Duration.ZERO).requestsPerMinute(100)
                .inputTokensPerMinute(100_000).requestsPerDay(100_000).instances(2).leases(false).build();
        WindowQuotaLimiter one = limiter(counted, config, first, clock);
        one.primed().get(10, TimeUnit.SECONDS);
        assertThat(counted.reads.get()).as("read when built").isEqualTo(1);
        assertThat(counted.writes.get()).as("nothing written before the first acquire").isZero();
        granted(one, 10);
        // The item exists now (its first write replaced nothing): from here on grants are increments.
        int writes = counted.writes.get();
        int increments = counted.increments.get();
        WindowQuotaLimiter two = limiter(counted, config, second, clock);
        // Each writes on the item as it last saw it, never what the other wrote since: no conflict.
        for (int i = 0; i < 3; i++) {
            granted(one, 10);
            granted(two, 10);
        }
        assertThat(first.conditionalFailures() + second.conditionalFailures()).isZero();
        assertThat(counted.increments.get() - increments).as("grants are increments")
                .isEqualTo(counted.writes.get() - writes).isEqualTo(6);
        assertThat(store().read(scope).get().slots().get(NOON.getEpochSecond())).containsExactly(7, 70);
    }

    static void awaitOutOfFallback(QuotaLimiter limiter) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (limiter.inFallback()) {
            assertThat(System.nanoTime()).as("still in fallback").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
