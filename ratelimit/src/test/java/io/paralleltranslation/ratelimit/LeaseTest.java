package io.paralleltranslation.ratelimit;

import static io.paralleltranslation.ratelimit.AbstractQuotaLimiterTest.acquire;
import static io.paralleltranslation.ratelimit.AbstractQuotaLimiterTest.assertDenied;
import static io.paralleltranslation.ratelimit.AbstractQuotaLimiterTest.granted;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leases: sized to the demand of earlier busy seconds, topped up at their low-water mark before
 * they run out, served while a write is in flight, and given back with the next write.
 */
class LeaseTest {
    private static final Instant NOON = AbstractQuotaLimiterTest.NOON;
    private static final String SCOPE = "gemini#lease#model";

    private final ManualClock clock = new ManualClock(NOON);
    private final InMemoryQuotaStore memory = new InMemoryQuotaStore();
    private final FaultyStore store = new FaultyStore(memory);
    private final LimiterCounters counters = new LimiterCounters();
    private WindowQuotaLimiter limiter;

    @AfterEach
    void close() {
        if (store.holdWrites != null) {
            store.holdWrites.complete(null);
        }
        limiter.close();
    }

    private void build(long rpm, int instances) {
        QuotaConfig config = QuotaConfig.builder(SCOPE).retryJitter(Duration.ZERO).requestsPerMinute(rpm)
                .inputTokensPerMinute(100_000).requestsPerDay(100_000).instances(instances).build();
        limiter = WindowQuotaLimiter.builder(store, config).clock(clock).listener(counters).build();
    }

    /** One busy second of {@code n} acquires, one at a time (no batch, no lease yet: no demand seen before). */
    private void busySecond(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            granted(limiter, 10);
        }
    }

    private long[] slot(long secondsAfterNoon) throws Exception {
        return memory.read(SCOPE).get().slots().get(NOON.getEpochSecond() + secondsAfterNoon);
    }

    /** Waits for what the limiter's thread does after an answer was already given (not a timing test). */
    private static void await(LongSupplier value, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (value.getAsLong() != expected) {
            assertThat(System.nanoTime()).as("still %s, waiting for %s", value.getAsLong(), expected)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void theLeaseFollowsTheDemandOfBusySecondsAndItsRestGoesBackWithTheNextWrite() throws Exception {
        build(100, 2);
        busySecond(10);
        assertThat(counters.leased()).isZero();

        clock.advance(Duration.ofSeconds(1));
        granted(limiter, 10);
        assertThat(counters.leased()).as("10 acquires a second, one granted by the write").isEqualTo(9);

        clock.advance(Duration.ofSeconds(1));
        granted(limiter, 10);
        // EWMA: half of the last busy second (1) and half of the one before (10): 5.5, so 6.
        assertThat(counters.leased()).isEqualTo(9 + 5);
        assertThat(slot(1)).as("the unused 9 went back").containsExactly(1, 10);
        // 5 leased with 10 tokens each plus a quarter, besides the grant.
        assertThat(slot(2)).containsExactly(6, 10 + 63);
        assertThat(memory.read(SCOPE).get().dayRequests()).isEqualTo(10 + 1 + 6);
    }

    @Test
    void aLeaseIsToppedUpAtItsLowWaterMarkBeforeItRunsOut() throws Exception {
        build(200, 2);
        busySecond(20);
        clock.advance(Duration.ofSeconds(1));
        granted(limiter, 10);
        assertThat(counters.leased()).isEqualTo(19);
        long calls = counters.storeCalls();

        for (int i = 0; i < 14; i++) {
            assertThat(granted(limiter, 10).grantedAt()).isEqualTo(NOON.plusSeconds(1));
        }
        assertThat(counters.storeCalls()).as("5 left, above the low-water mark of 4").isEqualTo(calls);

        granted(limiter, 10);
        // 4 left: one write tops the lease up to the demand (20 a second) while 4 can still be served.
        await(counters::leased, 19 + 16);
        assertThat(counters.storeCalls()).isEqualTo(calls + 1);
        for (int i = 0; i < 15; i++) {
            assertThat(granted(limiter, 10).grantedAt()).isEqualTo(NOON.plusSeconds(1));
        }
        assertThat(counters.storeCalls()).as("served from the lease").isEqualTo(calls + 1);
    }

    @Test
    void whileAWriteIsInFlightTheLeaseServesAndOthersWaitForIt() throws Exception {
        build(20, 1);
        busySecond(10);
        clock.advance(Duration.ofSeconds(1));
        Grant first = granted(limiter, 10);
        assertThat(counters.leased()).as("10 a second wanted, 9 left in the window").isEqualTo(9);

        store.holdWrites = new CompletableFuture<>();
        int writes = store.writes.get();
        // A debit is written at once: the write now waits in the store.
        CompletableFuture<Void> debit = limiter.reconcile(first, 15);
        await(() -> store.writes.get(), writes + 1);
        for (int i = 0; i < 9; i++) {
            assertThat(granted(limiter, 10).grantedAt()).isEqualTo(NOON.plusSeconds(1));
        }
        // Beyond the lease: decided on the write's answer.
        CompletableFuture<Acquisition> beyond = limiter.acquire(10);
        assertThat(debit).isNotDone();
        assertThat(beyond).isNotDone();

        store.holdWrites.complete(null);
        debit.get(10, TimeUnit.SECONDS);
        assertDenied(beyond.get(10, TimeUnit.SECONDS), QuotaDimension.REQUESTS_PER_MINUTE,
                Instant.ofEpochSecond(NOON.getEpochSecond() + AbstractQuotaLimiterTest.WINDOW));
        assertThat(slot(1)).containsExactly(10, 10 + 5 + 113);
    }

    /**
     * Two instances (P = 2) whose callers declared more than the quota: the second, planning on the
     * item after the first took its share, takes all of its own share in its one write (not half of
     * the room left, and then half again): a burst costs each instance one write.
     */
    @Test
    void eachInstanceTakesItsWholeShareOfABurstInOneWrite() throws Exception {
        QuotaConfig config = QuotaConfig.builder(SCOPE).retryJitter(Duration.ZERO).requestsPerMinute(100)
                .inputTokensPerMinute(100_000).requestsPerDay(100_000).instances(2).expectedBurst(60).build();
        limiter = WindowQuotaLimiter.builder(store, config).clock(clock).listener(counters).build();
        granted(limiter, 10);
        assertThat(counters.leased()).as("1/2 of the window with its grant").isEqualTo(49);
        LimiterCounters otherCounters = new LimiterCounters();
        try (WindowQuotaLimiter other = WindowQuotaLimiter.builder(memory, config).clock(clock).listener(otherCounters)
                .build()) {
            other.primed().get(10, TimeUnit.SECONDS);
            long callsBefore = otherCounters.storeCalls();
            granted(other, 10);
            assertThat(otherCounters.leased()).as("its own half, although only half the room is left").isEqualTo(49);
            assertThat(otherCounters.storeCalls() - callsBefore).as("one write").isEqualTo(1);
            for (int i = 0; i < 49; i++) {
                granted(limiter, 10);
                granted(other, 10);
            }
            assertThat(memory.read(SCOPE).get().requestsInWindow(NOON.getEpochSecond(), AbstractQuotaLimiterTest.WINDOW))
                    .isEqualTo(100);
        }
    }

    /** Once its own share is taken, an instance takes only 1/P of the room the others left. */
    @Test
    void anInstanceThatTookItsShareTakesHalfOfTheRoomLeft() throws Exception {
        QuotaConfig config = QuotaConfig.builder(SCOPE).retryJitter(Duration.ZERO).requestsPerMinute(100)
                .inputTokensPerMinute(100_000).requestsPerDay(100_000).instances(2).expectedBurst(60).build();
        limiter = WindowQuotaLimiter.builder(store, config).clock(clock).listener(counters).build();
        for (int i = 0; i < 50; i++) {
            granted(limiter, 10);
        }
        // Its share with the first grant (49), then a top-up at the low-water mark: half of the 50 left.
        await(counters::leased, 49 + 25);
        clock.advance(Duration.ofSeconds(1));
        granted(limiter, 10);
        // The 25 unused went back: 50 are its own (not 75), 49 left besides this grant, of which it
        // takes half, not the 49 its share would allow had it taken nothing yet.
        assertThat(counters.leased() - 74).isEqualTo(24);
        assertThat(memory.read(SCOPE).get().requestsInWindow(NOON.getEpochSecond() + 1, AbstractQuotaLimiterTest.WINDOW))
                .isEqualTo(50 + 1 + 24);
    }

    /**
     * With part of its share used, an instance whose view shows far more room (the other's share,
     * not yet seen to be taken) takes only the rest of its own share: here 50 - 10 - 21 = 19 beside
     * the 21 grants of its batch, where 1/P of the room it sees (90 / 2 - 21) would be 24.
     */
    @Test
    void whileItsShareLastsAnInstanceTakesOnlyFromIt() throws Exception {
        QuotaConfig config = QuotaConfig.builder(SCOPE).retryJitter(Duration.ZERO).requestsPerMinute(100)
                .inputTokensPerMinute(100_000).requestsPerDay(100_000).instances(2).expectedBurst(10).build();
        limiter = WindowQuotaLimiter.builder(store, config).clock(clock).listener(counters).build();
        limiter.primed().get(10, TimeUnit.SECONDS);
        store.holdWrites = new CompletableFuture<>();
        List<CompletableFuture<Acquisition>> acquires = new ArrayList<>();
        acquires.add(limiter.acquire(10));
        await(() -> store.writes.get(), 1);
        for (int i = 0; i < 30; i++) {
            acquires.add(limiter.acquire(10));
        }
        store.holdWrites.complete(null);
        for (CompletableFuture<Acquisition> acquire : acquires) {
            assertThat(acquire.get(10, TimeUnit.SECONDS).isGranted()).isTrue();
        }
        // The first write: its grant and a block of 9; the next: 21 granted (9 served from the block) and 19.
        assertThat(counters.leased()).isEqualTo(9 + 19);
        assertThat(slot(0)).as("requests").satisfies(counts -> assertThat(counts[0]).isEqualTo(10 + 21 + 19));
    }
}
