package io.paralleltranslation.operators.admit;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.testing.CapturedMetrics;
import io.paralleltranslation.operators.testing.Chunks;
import io.paralleltranslation.operators.translate.QuotaLimiterFactory;
import io.paralleltranslation.ratelimit.Acquisition;
import io.paralleltranslation.ratelimit.Grant;
import io.paralleltranslation.ratelimit.QuotaLimiter;
import io.paralleltranslation.ratelimit.QuotaOutlook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdmissionGateTest {
    private static final Duration WINDOW = Duration.ofSeconds(62);
    private static final long SECOND = 1000;
    private static final long SORT = AdmissionGate.SORT_DELAY.toMillis();
    /** The limiter's clock reads processing time plus this (its day ends at a chosen processing time). */
    private static final long START = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
    private static final ZoneId ZONE = ZoneOffset.UTC;

    private final CapturedMetrics metrics = new CapturedMetrics();
    private MockEnvironment env;
    private KeyedOneInputStreamOperatorTestHarness<String, ChunkRecord, ChunkRecord> harness;

    @BeforeEach
    void resetQuota() {
        OutlookLimiter.outlook = null;
        OutlookLimiter.unanswered = null;
        OutlookLimiter.reads.set(0);
        TestClock.now.set(START);
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (env != null) {
            env.close();
        }
    }

    private void open(long rpm, int headroom, boolean withQuota) throws Exception {
        env = metrics.environment();
        harness = harness(new AdmissionGate(withQuota ? new OutlookLimiter.Factory() : null, new TestClock(), rpm,
                10_000_000, WINDOW, headroom), env);
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ChunkRecord, ChunkRecord> harness(
            AdmissionGate gate, MockEnvironment env) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ChunkRecord, ChunkRecord> h =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(gate),
                        new AdmissionGate.ScopeKey("gemini"), Types.STRING, env);
        h.setProcessingTime(0);
        return h;
    }

    /** Moves processing time and the limiter's clock together. */
    private void at(long millis) throws Exception {
        TestClock.now.set(START + millis);
        harness.setProcessingTime(millis);
    }

    private List<String> released() {
        return harness.extractOutputValues().stream().map(c -> c.jobId + "#" + c.chunkIndex)
                .collect(Collectors.toList());
    }

    private static ChunkRecord chunk(String jobId, int index, String submittedAt) {
        ChunkRecord c = Chunks.chunk(jobId, index, 10);
        c.submittedAt = submittedAt;
        return c;
    }

    private long held() {
        @SuppressWarnings("unchecked")
        Gauge<Long> gauge = (Gauge<Long>) metrics.get("admissionBacklogChunks");
        return gauge.getValue();
    }

    @Test
    void releasesHeldChunksInSubmissionOrderAcrossDocumentsAtTheQuotasPace() throws Exception {
        open(1, 1, false);
        // b is submitted after a but reaches the gate first; the quota takes one request a window.
        harness.processElement(chunk("b", 0, "2026-12-01T10:00:00.000002Z"), 0);
        harness.processElement(chunk("b", 1, "2026-12-01T10:00:00.000002Z"), 0);
        harness.processElement(chunk("b", 2, "2026-12-01T10:00:00.000002Z"), 0);
        harness.processElement(chunk("a", 1, "2026-12-01T10:00:00.000001Z"), 0);
        harness.processElement(chunk("a", 0, "2026-12-01T10:00:00.000001Z"), 0);
        // A small quota: what arrives together is sorted first; then each chunk waits for its
        // window and goes a lead before its grant.
        assertThat(released()).isEmpty();
        assertThat(held()).isEqualTo(5);
        at(SORT);
        assertThat(released()).containsExactly("a#0");

        at(57 * SECOND - 1);
        assertThat(released()).containsExactly("a#0");
        at(57 * SECOND);
        assertThat(released()).containsExactly("a#0", "a#1");
        at(119 * SECOND);
        assertThat(released()).containsExactly("a#0", "a#1", "b#0");
        at(181 * SECOND);
        at(243 * SECOND);
        assertThat(released()).containsExactly("a#0", "a#1", "b#0", "b#1", "b#2");
        assertThat(held()).isZero();

        // The last planned grant (248 s) leaves the window: nothing of the scope is left.
        at(248 * SECOND + 62 * SECOND);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void documentsWithoutASubmitTimeGoInTheOrderTheGateFirstHeldThem() throws Exception {
        open(1, 1, false);
        harness.processElement(chunk("z", 0, null), 0);
        harness.processElement(chunk("z", 1, null), 0);
        at(SORT);
        at(5 * SECOND);
        harness.processElement(chunk("y", 0, null), 0);
        at(6 * SECOND);
        harness.processElement(chunk("z", 2, null), 0);
        at(57 * SECOND);
        at(119 * SECOND);
        at(181 * SECOND);
        assertThat(released()).containsExactly("z#0", "z#1", "z#2", "y#0");
    }

    @Test
    void paceMirrorsTheSlidingWindowWithHeadroomAhead() throws Exception {
        open(3, 2, false);
        for (int i = 0; i < 10; i++) {
            harness.processElement(chunk("p", i, "2026-12-01T10:00:00Z"), 0);
        }
        // After the sort: a window's requests, granted now; the next wait for theirs.
        assertThat(released()).isEmpty();
        at(SORT);
        assertThat(released()).hasSize(3);
        at(57 * SECOND - 1);
        assertThat(released()).hasSize(3);
        // A lead before the first three leave the window: the headroom goes ahead of its grants.
        at(57 * SECOND);
        assertThat(released()).hasSize(5);
        // At 62 s one more fits that window; the next window's wait for its lead and the headroom.
        at(62 * SECOND);
        assertThat(released()).hasSize(6);
        at(119 * SECOND);
        assertThat(released()).hasSize(8);
        at(124 * SECOND);
        assertThat(released()).hasSize(9);
        at(181 * SECOND);
        assertThat(released()).containsExactly("p#0", "p#1", "p#2", "p#3", "p#4", "p#5", "p#6", "p#7", "p#8", "p#9");
        at(400 * SECOND);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aChunkPassesOnArrivalWhenTheQuotaDoesNotBind() throws Exception {
        open(1_000, 20, true);
        OutlookLimiter.outlook = outlook(1_000, 100, START + Duration.ofHours(5).toMillis());
        for (int i = 0; i < 50; i++) {
            harness.processElement(chunk("fast", i, "2026-12-01T10:00:00Z"), 0);
            assertThat(released()).hasSize(i + 1);
        }
        assertThat(harness.numProcessingTimeTimers()).as("only the clean-up timer").isEqualTo(1);
        at(62 * SECOND);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void whenTheDaysRequestsAreSpentChunksStayInStateUntilTheDayStartsAndSurviveARestore() throws Exception {
        long dayEnds = 100 * SECOND;
        OutlookLimiter.outlook = outlook(1_000, 2, START + dayEnds);
        open(1_000, 20, true);
        for (int i = 0; i < 5; i++) {
            harness.processElement(chunk("d", i, "2026-12-01T10:00:00Z"), 0);
        }
        assertThat(released()).containsExactly("d#0", "d#1");
        assertThat(held()).isEqualTo(3);
        // The limiter granted the two: the day is spent now, as later reads say.
        OutlookLimiter.outlook = outlook(1_000, 0, START + dayEnds);
        at(50 * SECOND);
        assertThat(released()).hasSize(2);
        assertThat(OutlookLimiter.reads.get()).as("re-read while the day is spent").isGreaterThan(2);

        // A checkpoint while parked; a new gate restored from it keeps the chunks and the reset timer.
        OperatorSubtaskState snapshot = harness.snapshot(1, 50 * SECOND);
        harness.close();
        env.close();
        TestClock.now.set(START + 50 * SECOND);
        env = metrics.environment();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new AdmissionGate(
                new OutlookLimiter.Factory(), new TestClock(), 1_000, 10_000_000, WINDOW, 20)),
                new AdmissionGate.ScopeKey("gemini"), Types.STRING, env);
        harness.setProcessingTime(50 * SECOND);
        harness.initializeState(snapshot);
        harness.open();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        at(dayEnds - 1);
        assertThat(released()).isEmpty();
        // The day turns: the outlook read before it still names the old day, a whole new day is assumed.
        at(dayEnds);
        assertThat(released()).containsExactly("d#2", "d#3", "d#4");
        at(dayEnds + 62 * SECOND);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void nothingGoesBeforeTheFirstOutlookAnswersSoARestoreInASpentDayDoesNotFloodTheTranslateStep()
            throws Exception {
        OutlookLimiter.unanswered = new CompletableFuture<>();
        open(1_000, 20, true);
        harness.processElement(chunk("w", 0, "2026-12-01T10:00:00Z"), 0);
        harness.processElement(chunk("w", 1, "2026-12-01T10:00:00Z"), 0);
        at(1 * SECOND);
        assertThat(released()).isEmpty();
        OutlookLimiter.unanswered.complete(outlook(1_000, 10, START + Duration.ofHours(5).toMillis()));
        at(1 * SECOND + 200);
        assertThat(released()).containsExactly("w#0", "w#1");
    }

    private static QuotaOutlook outlook(long rpm, long leftToday, long dayEndsAt) {
        return new QuotaOutlook(rpm, 10_000_000, 10, leftToday, Instant.ofEpochMilli(dayEndsAt), ZONE);
    }

    /** The limiter's clock, moved by the test. */
    static final class TestClock extends Clock implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicLong now = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZONE;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    }

    /** A limiter that only tells its outlook, at once; the gate never takes quota. */
    static final class OutlookLimiter implements QuotaLimiter {
        static volatile QuotaOutlook outlook;
        /** Set: reads wait for the test to answer them. */
        static volatile CompletableFuture<QuotaOutlook> unanswered;
        static final AtomicLong reads = new AtomicLong();

        static final class Factory implements QuotaLimiterFactory {
            private static final long serialVersionUID = 1L;

            @Override
            public QuotaLimiter create() {
                return new OutlookLimiter();
            }
        }

        @Override
        public CompletableFuture<QuotaOutlook> outlook() {
            reads.incrementAndGet();
            if (unanswered != null) {
                return unanswered;
            }
            QuotaOutlook o = outlook;
            return o == null ? CompletableFuture.failedFuture(new IllegalStateException("no outlook"))
                    : CompletableFuture.completedFuture(o);
        }

        @Override
        public CompletableFuture<Acquisition> acquire(long inputTokens) {
            throw new UnsupportedOperationException("the gate never takes quota");
        }

        @Override
        public CompletableFuture<Void> reconcile(Grant grant, long actualInputTokens) {
            throw new UnsupportedOperationException("the gate never takes quota");
        }

        @Override
        public CompletableFuture<Void> pushback(Instant pausedUntil) {
            throw new UnsupportedOperationException("the gate never takes quota");
        }

        @Override
        public boolean inFallback() {
            return false;
        }

        @Override
        public void close() {}
    }
}
