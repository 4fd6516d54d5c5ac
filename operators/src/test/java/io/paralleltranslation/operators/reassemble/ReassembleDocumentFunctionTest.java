package io.paralleltranslation.operators.reassemble;

import static io.paralleltranslation.operators.testing.Chunks.chunk;
import static io.paralleltranslation.operators.testing.Chunks.failed;
import static io.paralleltranslation.operators.testing.Chunks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.paralleltranslation.operators.StateLifetimes;
import io.paralleltranslation.operators.cost.GeminiPrices;
import io.paralleltranslation.operators.records.DeadLetter;
import io.paralleltranslation.operators.records.JobIdKeys;
import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.OutputTags;
import io.paralleltranslation.operators.records.TranslatedChunk;
import io.paralleltranslation.operators.records.TranslatedDocument;
import io.paralleltranslation.operators.testing.CapturedMetrics;
import io.paralleltranslation.operators.testing.Chunks;
import io.paralleltranslation.operators.translate.QuotaLimiterFactory;
import io.paralleltranslation.ratelimit.Acquisition;
import io.paralleltranslation.ratelimit.Grant;
import io.paralleltranslation.ratelimit.QuotaLimiter;
import io.paralleltranslation.ratelimit.QuotaOutlook;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReassembleDocumentFunctionTest {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final Duration INACTIVITY = Duration.ofMinutes(10);
    private static final Duration BACKSTOP = Duration.ofDays(3);

    private final CapturedMetrics metrics = new CapturedMetrics();
    private MockEnvironment env;
    private KeyedOneInputStreamOperatorTestHarness<String, TranslatedChunk, TranslatedDocument> harness;

    @BeforeEach
    void open() throws Exception {
        OutlookLimiter.outlook = null;
        env = metrics.environment();
        harness = newHarness(env, null);
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TranslatedChunk, TranslatedDocument> newHarness(
            MockEnvironment environment, QuotaLimiterFactory quota) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ReassembleDocumentFunction(INACTIVITY, BACKSTOP, Duration.ofDays(1),
                        quota)),
                new JobIdKeys.OfResult(), Types.STRING, environment);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
        env.close();
    }

    private static TranslatedChunk accepted(String jobId, int index, int total) {
        return TranslatedChunk.accepted(chunk(jobId, index, total), 0, 100);
    }

    private void acceptAll(String jobId, int total, int... indices) throws Exception {
        for (int i : indices) {
            harness.processElement(accepted(jobId, i, total), 0);
        }
    }

    private List<JobStatus> statuses() {
        return harness.getSideOutput(OutputTags.JOB_STATUS) == null ? List.of()
                : harness.getSideOutput(OutputTags.JOB_STATUS).stream().map(StreamRecord::getValue)
                        .collect(Collectors.toList());
    }

    private List<JobStatus> finals() {
        return statuses().stream().filter(s -> s.outcome.isFinal()).collect(Collectors.toList());
    }

    /** After a report only the tombstone (or kept results) is left; after the retention, nothing of any job is. */
    private void assertJobStateAndTimersGoneAfterRetention() throws Exception {
        assertThat(harness.numProcessingTimeTimers()).isPositive();
        harness.setProcessingTime(harness.getProcessingTime() + DAY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(((Gauge<?>) metrics.get("backlogChunks")).getValue()).isEqualTo(0L);
    }

    @Test
    void emitsTheWholeDocumentOnceInIndexOrderThenClearsStateAndTimer() throws Exception {
        harness.setProcessingTime(1_000);
        acceptAll("job", 3, 0, 1, 2);
        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.outcome).isEqualTo(JobOutcome.ACCEPTED);
            assertThat(s.totalChunks).isEqualTo(3);
            assertThat(s.chunksInTranslation).isEqualTo(1);
            assertThat(s.estimatedInputTokens).isEqualTo(300);
        });
        assertThat(((Gauge<?>) metrics.get("backlogChunks")).getValue()).isEqualTo(3L);
        // Source chunks: a paragraph, a sentence cut mid-paragraph, the last one with the final newline.
        harness.processElement(succeeded("job", 2, 3, "Three.\n", "Drei.", 900), 0);
        harness.processElement(succeeded("job", 0, 3, "One.\n\n", "\nEins.", 500), 0);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(5_000);
        harness.processElement(succeeded("job", 1, 3, "Two. ", "  Zwei.\n\n", 700), 0);

        List<TranslatedDocument> docs = harness.extractOutputValues();
        assertThat(docs).hasSize(1);
        TranslatedDocument doc = docs.get(0);
        assertThat(doc.text).isEqualTo("Eins.\n\nZwei. Drei.\n");
        assertThat(doc.jobId).isEqualTo("job");
        assertThat(doc.source).isEqualTo("doc-job.md");
        assertThat(doc.targetLanguage).isEqualTo("de");
        assertThat(doc.totalChunks).isEqualTo(3);
        assertThat(doc.geminiCalls).isEqualTo(3);
        assertThat(doc.inputTokens).isEqualTo(300);
        assertThat(doc.outputTokens).isEqualTo(360);
        assertThat(doc.firstChunkSeenAt).isEqualTo(500);
        assertThat(doc.emittedAt).isEqualTo(5_000);

        JobStatus status = finals().get(0);
        assertThat(finals()).hasSize(1);
        assertThat(status.outcome).isEqualTo(JobOutcome.COMPLETE);
        assertThat(status.chunksSucceeded).isEqualTo(3);
        assertThat(status.failedChunks).isEmpty();
        assertThat(status.missingIndices).isEmpty();
        assertThat(status.durationMillis).isEqualTo(4_500);
        assertThat(status.geminiCalls).isEqualTo(3);
        assertJobStateAndTimersGoneAfterRetention();
        assertThat(metrics.count("documentsCompleted")).isEqualTo(1);
        assertThat(((Histogram) metrics.get("documentTranslationMillis")).getCount()).isEqualTo(1);
    }

    @Test
    void waitingForQuotaOrInABacklogIsNeverAFailure() throws Exception {
        harness.setProcessingTime(0);
        acceptAll("job", 4, 0, 1, 2, 3);
        harness.processElement(succeeded("job", 0, 4, "Eins.", 0), 0);
        // Chunks 1-3 wait behind other documents for most of a day: nothing is reported.
        harness.setProcessingTime(20 * HOUR);
        assertThat(finals()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.processElement(succeeded("job", 1, 4, "Zwei.", 0), 0);
        harness.processElement(succeeded("job", 2, 4, "Drei.", 0), 0);
        harness.setProcessingTime(40 * HOUR);
        harness.processElement(succeeded("job", 3, 4, "Vier.", 0), 0);

        assertThat(finals()).extracting(s -> s.outcome).containsExactly(JobOutcome.COMPLETE);
        assertThat(harness.extractOutputValues()).extracting(d -> d.text).containsExactly("Eins.Zwei.Drei.Vier.");
        assertThat(statuses()).extracting(s -> s.outcome).containsExactly(JobOutcome.ACCEPTED, JobOutcome.PROGRESS,
                JobOutcome.COMPLETE);
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void reportsChunksNeverPutOnceNothingOfTheDocumentIsInTranslation() throws Exception {
        harness.setProcessingTime(0);
        acceptAll("job", 5, 0, 3);
        harness.processElement(succeeded("job", 0, 5, "Eins.", 0), 0);
        harness.setProcessingTime(8 * MINUTE);
        // The last chunk in translation gets its result: from now on the document only waits for chunks never put.
        harness.processElement(failed("job", 3, 5, "gave up after 6 attempts", 0), 0);
        harness.setProcessingTime(17 * MINUTE);
        assertThat(finals()).isEmpty();

        harness.setProcessingTime(18 * MINUTE);
        JobStatus status = finals().get(0);
        assertThat(status.outcome).isEqualTo(JobOutcome.INCOMPLETE);
        assertThat(status.missingIndices).containsExactly(1, 2, 4);
        assertThat(status.failedChunks).extracting(f -> f.chunkIndex + ": " + f.reason)
                .containsExactly("3: gave up after 6 attempts");
        assertThat(status.chunksSucceeded).isEqualTo(1);
        assertThat(status.reason).contains("never reached the job");
        assertThat(status.emittedAt).isEqualTo(18 * MINUTE);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertJobStateAndTimersGoneAfterRetention();
        assertThat(metrics.count("documentsIncomplete")).isEqualTo(1);
    }

    @Test
    void theBackstopReportsChunksInTranslationWithoutAnyResultForThatLong() throws Exception {
        harness.setProcessingTime(0);
        acceptAll("job", 2, 0, 1);
        harness.processElement(succeeded("job", 0, 2, "Eins.", 0), 0);
        harness.setProcessingTime(BACKSTOP.toMillis() - 1);
        assertThat(finals()).isEmpty();
        harness.setProcessingTime(BACKSTOP.toMillis());

        JobStatus status = finals().get(0);
        assertThat(status.outcome).isEqualTo(JobOutcome.INCOMPLETE);
        assertThat(status.missingIndices).containsExactly(1);
        assertThat(status.chunksInTranslation).isEqualTo(1);
        assertThat(status.reason).contains("translate.document-backstop");
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void aDeadLetterNamingAChunkFailsItsDocumentAtOnce() throws Exception {
        acceptAll("job", 3, 0, 2);
        harness.processElement(succeeded("job", 0, 3, "Eins.", 0), 0);
        harness.processElement(succeeded("job", 2, 3, "Drei.", 0), 0);
        DeadLetter deadLetter = DeadLetter.of("parse", "text longer than translate.max-chunk-chars",
                "{}".getBytes(StandardCharsets.UTF_8), 0, "job", 1);
        harness.processElement(TranslatedChunk.ofDeadLetter(deadLetter), 0);

        JobStatus status = finals().get(0);
        assertThat(status.outcome).isEqualTo(JobOutcome.FAILED);
        assertThat(status.failedChunks).singleElement().satisfies(f -> {
            assertThat(f.chunkIndex).isEqualTo(1);
            assertThat(f.reason).isEqualTo("dead-lettered by parse: text longer than translate.max-chunk-chars");
        });
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void aDeadLetterForAnIndexAlreadyInTranslationLeavesItToItsOwnResult() throws Exception {
        acceptAll("job", 2, 0, 1);
        DeadLetter conflicting = DeadLetter.of("dedup", "totalChunks 3 disagrees with 2 of earlier chunks of this job",
                "{}".getBytes(StandardCharsets.UTF_8), 0, "job", 1);
        harness.processElement(TranslatedChunk.ofDeadLetter(conflicting), 0);
        harness.processElement(succeeded("job", 0, 2, "Eins.", 0), 0);
        harness.processElement(succeeded("job", 1, 2, "Zwei.", 0), 0);

        assertThat(finals()).extracting(s -> s.outcome).containsExactly(JobOutcome.COMPLETE);
        assertThat(harness.extractOutputValues()).extracting(d -> d.text).containsExactly("Eins.Zwei.");
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void aLateChunkReopensAnIncompleteDocumentWhichThenCompletes() throws Exception {
        harness.setProcessingTime(0);
        acceptAll("job", 2, 0);
        harness.processElement(succeeded("job", 0, 2, "Eins.", 0), 0);
        harness.setProcessingTime(10 * MINUTE);
        assertThat(finals()).extracting(s -> s.outcome).containsExactly(JobOutcome.INCOMPLETE);
        // Chunk 1 was put late (a producer that retried for long): it reopens the document.
        harness.setProcessingTime(30 * MINUTE);
        acceptAll("job", 2, 1);
        harness.processElement(succeeded("job", 1, 2, "Zwei.", 0), 0);

        assertThat(finals()).extracting(s -> s.outcome + ":" + s.reopened)
                .containsExactly("INCOMPLETE:0", "COMPLETE:1");
        assertThat(harness.extractOutputValues()).extracting(d -> d.text).containsExactly("Eins.Zwei.");
        assertThat(metrics.count("documentsReopened")).isEqualTo(1);
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void aSuccessAfterAFailedReportReopensTheDocument() throws Exception {
        harness.processElement(failed("job", 0, 2, "PERMANENT finishReason=SAFETY", 0), 0);
        harness.processElement(succeeded("job", 1, 2, "Zwei.", 0), 0);
        harness.processElement(failed("job", 0, 2, "replayed failure", 0), 0);
        assertThat(finals()).extracting(s -> s.outcome).containsExactly(JobOutcome.FAILED);
        harness.processElement(succeeded("job", 0, 2, "Eins.", 0), 0);

        assertThat(finals()).extracting(s -> s.outcome).containsExactly(JobOutcome.FAILED, JobOutcome.COMPLETE);
        assertThat(harness.extractOutputValues()).extracting(d -> d.text).containsExactly("Eins.Zwei.");
        assertThat(metrics.count("duplicateResultsIgnored")).isEqualTo(1);
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void aLateResultAfterACompleteDocumentIsCountedAndIgnoredUntilTheTombstoneExpires() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(succeeded("job", 0, 2, "Eins.", 0), 0);
        harness.processElement(succeeded("job", 1, 2, "Zwei.", 0), 0);
        harness.setProcessingTime(5 * HOUR);
        harness.processElement(succeeded("job", 1, 2, "Zwei, spaet.", 0), 0);

        assertThat(harness.extractOutputValues()).extracting(d -> d.text).containsExactly("Eins.Zwei.");
        assertThat(finals()).extracting(s -> s.outcome).containsExactly(JobOutcome.COMPLETE);
        assertThat(metrics.count("lateResultsDropped")).isEqualTo(1);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(DAY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void keepsJobsApart() throws Exception {
        harness.processElement(succeeded("a", 0, 2, "A0", 0), 0);
        harness.processElement(succeeded("b", 0, 1, "B0", 0), 0);
        assertThat(harness.extractOutputValues()).extracting(d -> d.jobId).containsExactly("b");
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
        harness.processElement(succeeded("a", 1, 2, "A1", 0), 0);
        assertThat(harness.extractOutputValues()).extracting(d -> d.text).containsExactly("B0", "A0A1");
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void timeTheJobWasDownIsNotInactivity() throws Exception {
        harness.setProcessingTime(0);
        acceptAll("job", 3, 0, 2);
        harness.processElement(succeeded("job", 0, 3, "Eins.", 0), 0);
        harness.processElement(succeeded("job", 2, 3, "Drei.", 0), 0);
        restartFrom(5 * MINUTE);

        // Down for two hours, far longer than the inactivity timeout: the restored timer must not report.
        harness.setProcessingTime(2 * HOUR);
        assertThat(finals()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(2 * HOUR + INACTIVITY.toMillis() - 1);
        assertThat(finals()).isEmpty();
        // Counted from the restart, the chunk never put is found.
        harness.setProcessingTime(2 * HOUR + INACTIVITY.toMillis());
        assertThat(finals()).singleElement().satisfies(s -> assertThat(s.missingIndices).containsExactly(1));
        assertJobStateAndTimersGoneAfterRetention();
    }

    /** A snapshot at {@code snapshotAt}, then a new operator restored from it (a stop and a restore). */
    private void restartFrom(long snapshotAt) throws Exception {
        harness.setProcessingTime(snapshotAt);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        env.close();
        env = metrics.environment();
        harness = newHarness(env, null);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
    }

    /** Down longer than the backstop with a chunk in translation (stop with a savepoint, restore days later). */
    @Test
    void timeTheJobWasDownIsNotCountedByTheBackstopEither() throws Exception {
        harness.setProcessingTime(0);
        acceptAll("job", 2, 0, 1);
        harness.processElement(succeeded("job", 0, 2, "Eins.", 0), 0);
        restartFrom(5 * MINUTE);
        long restart = BACKSTOP.toMillis() + DAY;
        harness.setProcessingTime(restart);
        assertThat(finals()).isEmpty();
        harness.setProcessingTime(restart + BACKSTOP.toMillis() - 1);
        assertThat(finals()).isEmpty();
        // Counted from the restart, the chunk that never got a result is given up on.
        harness.setProcessingTime(restart + BACKSTOP.toMillis());
        assertThat(finals()).singleElement().satisfies(s -> {
            assertThat(s.outcome).isEqualTo(JobOutcome.INCOMPLETE);
            assertThat(s.reason).contains("translate.document-backstop");
        });
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void aWaitingDocumentSaysOnceThatItWaitsForTheDailyQuotaAndWhen() throws Exception {
        harness.close();
        env.close();
        Instant reset = Instant.parse("2026-12-03T08:00:00Z");
        OutlookLimiter.outlook = new QuotaOutlook(10, 250_000, 250, 0, reset, java.time.ZoneId.of("America/Los_Angeles"));
        env = metrics.environment();
        harness = newHarness(env, OutlookLimiter::new);
        harness.open();
        harness.setProcessingTime(0);
        acceptAll("job", 2, 0, 1);
        harness.setProcessingTime(MINUTE);
        harness.setProcessingTime(2 * MINUTE);
        harness.setProcessingTime(3 * MINUTE);

        List<JobStatus> waiting = statuses().stream().filter(s -> s.outcome == JobOutcome.WAITING_FOR_DAILY_QUOTA)
                .collect(Collectors.toList());
        assertThat(waiting).singleElement().satisfies(s -> {
            assertThat(s.resumesAt).isEqualTo(reset.toEpochMilli());
            assertThat(s.chunksInTranslation).isEqualTo(2);
            assertThat(s.etaAt).isGreaterThanOrEqualTo(reset.toEpochMilli());
        });
        assertThat(((Gauge<?>) metrics.get("requestsLeftToday")).getValue()).isEqualTo(0L);
        harness.processElement(succeeded("job", 0, 2, "Eins.", 0), 0);
        harness.processElement(succeeded("job", 1, 2, "Zwei.", 0), 0);
        assertThat(finals()).extracting(s -> s.outcome).containsExactly(JobOutcome.COMPLETE);
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void theStatusCarriesTheEstimatedCostAtEachChunksModelPriceAndTheDuplicatesNotPaid() throws Exception {
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new ReassembleDocumentFunction(Duration.ofMinutes(10), StateLifetimes.BACKSTOP,
                        Duration.ofDays(1), null,
                        GeminiPrices.parse("gemini-2.5-flash=0.30/2.50,gemini-2.5-pro=1.25/10"), "gemini-2.5-flash")),
                new JobIdKeys.OfResult(), Types.STRING, env);
        harness.open();
        TranslatedChunk byDefault = succeeded("job", 0, 3, "Eins.", 0);
        TranslatedChunk pro = succeeded("job", 1, 3, "Zwei.", 0);
        pro.model = "gemini-2.5-pro";
        TranslatedChunk unpriced = succeeded("job", 2, 3, "Drei.", 0);
        unpriced.model = "gemini-9-ultra";
        acceptAll("job", 3, 0, 1, 2);
        harness.processElement(TranslatedChunk.droppedDuplicateOf(Chunks.chunk("job", 0, 3)), 0);
        harness.processElement(byDefault, 0);
        harness.processElement(TranslatedChunk.droppedDuplicateOf(Chunks.chunk("job", 0, 3)), 0);
        harness.processElement(pro, 0);
        harness.processElement(unpriced, 0);
        harness.processElement(TranslatedChunk.droppedDuplicateOf(Chunks.chunk("job", 1, 3)), 0);

        JobStatus status = finals().get(0);
        assertThat(status.outcome).as("notices are not results").isEqualTo(JobOutcome.COMPLETE);
        // 100 in / 120 out each: flash 0.00003 + 0.0003; pro 0.000125 + 0.0012; the third has no price.
        assertThat(status.estimatedCostUsd).isEqualByComparingTo("0.001655");
        assertThat(status.unpricedChunks).isEqualTo(1);
        assertThat(status.callsSavedByDuplicates).isEqualTo(2);
        assertThat(status.chunksFromCache).isZero();
        assertThat(metrics.count("estimatedCostMicroUsd")).isEqualTo(1_655);
        assertThat(metrics.count("duplicateResultsIgnored")).isZero();
        assertThat(metrics.count("lateResultsDropped")).as("a notice after the report is no late result").isZero();
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void aDuplicateNoticeWithoutAnyChunkLeavesNothingBehind() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(TranslatedChunk.droppedDuplicateOf(Chunks.chunk("job", 0, 2)), 0);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(10 * MINUTE);

        assertThat(statuses()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void putsEachTranslationBetweenItsSourceChunksEdgeWhitespace() {
        assertThat(succeeded("j", 0, 1, "    code()\n\t\n\r\n", "code()  \n", 0).documentPart())
                .isEqualTo("    code()\n\t\n\r\n");
        assertThat(succeeded("j", 0, 1, "Satz eins.\u00a0", "\n\nSentence one.\n\n", 0).documentPart())
                .as("no-break space is content, not whitespace").isEqualTo("Sentence one.");
        assertThat(succeeded("j", 0, 1, "\n\n", "\n", 0).documentPart()).isEqualTo("\n\n");
        assertThat(succeeded("j", 0, 1, "Ende.", "End.", 0).documentPart()).isEqualTo("End.");
    }

    @Test
    void refusesANonPositiveTimeoutOrRetention() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ReassembleDocumentFunction(Duration.ofMillis(-1),
                BACKSTOP, Duration.ofDays(1), null));
        assertThatIllegalArgumentException().isThrownBy(() -> new ReassembleDocumentFunction(INACTIVITY,
                BACKSTOP, Duration.ZERO, null)).withMessageContaining("reportedRetention");
    }

    /** A limiter that only answers {@link #outlook()}, with whatever the test set. */
    static final class OutlookLimiter implements QuotaLimiter {
        static volatile QuotaOutlook outlook;

        @Override
        public CompletableFuture<QuotaOutlook> outlook() {
            return CompletableFuture.completedFuture(outlook);
        }

        @Override
        public CompletableFuture<Acquisition> acquire(long inputTokens) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> reconcile(Grant grant, long actualInputTokens) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> pushback(Instant pausedUntil) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean inFallback() {
            return false;
        }

        @Override
        public void close() {}
    }
}
