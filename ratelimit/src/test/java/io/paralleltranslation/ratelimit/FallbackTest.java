package io.paralleltranslation.ratelimit;

import static io.paralleltranslation.ratelimit.AbstractQuotaLimiterTest.acquire;
import static io.paralleltranslation.ratelimit.AbstractQuotaLimiterTest.granted;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a limiter does while its store fails (unreachable, throttled), and how it comes back. */
class FallbackTest {
    private static final Instant NOON = AbstractQuotaLimiterTest.NOON;

    private final ManualClock clock = new ManualClock(NOON);
    private final FailingStore store = new FailingStore();
    private final LimiterCounters counters = new LimiterCounters();
    private final QuotaConfig config = QuotaConfig.builder("gemini#p#m").retryJitter(Duration.ZERO).requestsPerMinute(40)
            .inputTokensPerMinute(400).requestsPerDay(1_000).instances(4).probeInterval(Duration.ofSeconds(5)).build();
    private final WindowQuotaLimiter limiter =
            WindowQuotaLimiter.builder(store, config).clock(clock).listener(counters).build();

    @AfterEach
    void close() {
        limiter.close();
    }

    @Test
    void keepsToItsShareWhileTheStoreFailsAndMergesWhatItGrantedWhenItAnswers() throws Exception {
        granted(limiter, 10);
        store.failing = true;

        // 1/4 of 40 RPM is 10, and one request was already counted globally.
        for (int i = 0; i < 9; i++) {
            granted(limiter, 10);
        }
        assertThat(limiter.inFallback()).isTrue();
        assertThat(counters.inFallback()).isTrue();
        // The slot of NOON counts until NOON + 62 s, but in fallback every retry comes by the next probe.
        AbstractQuotaLimiterTest.assertDenied(acquire(limiter, 1), QuotaDimension.REQUESTS_PER_MINUTE,
                NOON.plusSeconds(5));

        // The share of TPM (100) is too small for 150 tokens: only the full quota can take them.
        Acquisition big = acquire(limiter, 150);
        assertThat(big.isNeverGrantable()).isFalse();
        assertThat(big.retryAt()).contains(NOON.plusSeconds(5));

        Grant refunded = new Grant(NOON, 10);
        limiter.reconcile(refunded, 4).get(10, TimeUnit.SECONDS);
        limiter.pushback(NOON.plusSeconds(20)).get(10, TimeUnit.SECONDS);

        clock.advance(Duration.ofSeconds(4));
        acquire(limiter, 1);
        assertThat(store.reads).as("only the limiter's first read, when built").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        acquire(limiter, 1); // probes, still failing
        awaitReads(2);
        assertThat(limiter.inFallback()).isTrue();

        store.failing = false;
        clock.advance(Duration.ofSeconds(5));
        acquire(limiter, 1); // probes again, and the store answers
        awaitReads(3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.delegate.read("gemini#p#m").get().pausedUntil().isBefore(NOON.plusSeconds(20))) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(limiter.inFallback()).isFalse();
        assertThat(counters.inFallback()).isFalse();
        WindowState merged = store.delegate.read("gemini#p#m").get();
        assertThat(merged.requestsInWindow(NOON.getEpochSecond(), 62)).isEqualTo(10);
        // The refund made in fallback is not merged: it may sit in a batch whose answer was lost.
        assertThat(merged.tokensInWindow(NOON.getEpochSecond(), 62)).isEqualTo(100);
        assertThat(merged.dayRequests()).isEqualTo(10);

        AbstractQuotaLimiterTest.assertDenied(acquire(limiter, 1), QuotaDimension.PAUSED, NOON.plusSeconds(20));
        clock.set(NOON.plusSeconds(20));
        granted(limiter, 150);
        assertThat(counters.fallbackEntered()).isEqualTo(1);
    }

    @Test
    void aDebitOfAnOldGrantInFallbackCountsNow() throws Exception {
        Grant grant = granted(limiter, 10);
        store.failing = true;
        clock.advance(Duration.ofSeconds(120));
        limiter.reconcile(grant, 50).get(10, TimeUnit.SECONDS);
        limiter.reconcile(grant, 5).get(10, TimeUnit.SECONDS);
        assertThat(limiter.inFallback()).isTrue();
        // The share of TPM is 100, and the debit of 40 counts in the current window.
        assertThat(acquire(limiter, 61).limitedBy()).contains(QuotaDimension.INPUT_TOKENS_PER_MINUTE);
        granted(limiter, 60);
    }

    @Test
    void aStoreThatThrowsInsteadOfFailingItsFutureIsAFailureToo() throws Exception {
        store.throwing = true;
        // Its first read (when built) worked: it knows the window and grants from its share.
        granted(limiter, 10);
        assertThat(limiter.inFallback()).isTrue();
    }

    @Test
    void probesOnATimerWithoutAnyAcquire() throws Exception {
        QuotaConfig quick = QuotaConfig.builder("gemini#p#timer").requestsPerMinute(40).inputTokensPerMinute(400)
                .requestsPerDay(1_000).instances(4).probeInterval(Duration.ofMillis(200)).build();
        LimiterCounters timed = new LimiterCounters();
        try (WindowQuotaLimiter idle = WindowQuotaLimiter.builder(store, quick).listener(timed).build()) {
            granted(idle, 1);
            store.failing = true;
            granted(idle, 1);
            assertThat(idle.inFallback()).isTrue();
            store.failing = false;
            AbstractQuotaLimiterTest.awaitOutOfFallback(idle);
            assertThat(store.delegate.read("gemini#p#timer").get().dayRequests()).isEqualTo(2);
        }
    }

    private void awaitReads(int reads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.reads < reads) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** An in-memory store that fails like an unreachable DynamoDB while {@code failing}. */
    private static final class FailingStore implements QuotaStore {
        final InMemoryQuotaStore delegate = new InMemoryQuotaStore();
        volatile boolean failing;
        volatile boolean throwing;
        volatile int reads;

        @Override
        public CompletableFuture<WindowState> read(String scope) {
            reads++;
            return failing ? unreachable() : delegate.read(scope);
        }

        @Override
        public CompletableFuture<WriteResult> write(String scope, long expectedVersion, WindowState next,
                long expiresAtEpochSecond) {
            if (throwing) {
                throw new IllegalStateException("a broken client (test)");
            }
            return failing ? unreachable() : delegate.write(scope, expectedVersion, next, expiresAtEpochSecond);
        }

        @Override
        public CompletableFuture<WriteResult> increment(String scope, SlotIncrement increment) {
            if (throwing) {
                throw new IllegalStateException("a broken client (test)");
            }
            return failing ? unreachable() : delegate.increment(scope, increment);
        }

        private static <T> CompletableFuture<T> unreachable() {
            return CompletableFuture.failedFuture(new IllegalStateException("store unreachable (test)"));
        }
    }
}
