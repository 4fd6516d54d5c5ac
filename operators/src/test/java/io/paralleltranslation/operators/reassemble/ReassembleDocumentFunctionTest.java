package io.paralleltranslation.operators.reassemble;

import static io.paralleltranslation.operators.testing.Chunks.failed;
import static io.paralleltranslation.operators.testing.Chunks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.paralleltranslation.operators.cost.GeminiPrices;
import io.paralleltranslation.operators.records.JobIdKeys;
import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.OutputTags;
import io.paralleltranslation.operators.records.TranslatedChunk;
import io.paralleltranslation.operators.records.TranslatedDocument;
import io.paralleltranslation.operators.testing.CapturedMetrics;
import io.paralleltranslation.operators.testing.Chunks;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
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
    private static final long DAY = 24 * 60 * MINUTE;

    private final CapturedMetrics metrics = new CapturedMetrics();
    private MockEnvironment env;
    private KeyedOneInputStreamOperatorTestHarness<String, TranslatedChunk, TranslatedDocument> harness;

    @BeforeEach
    void open() throws Exception {
        env = metrics.environment();
        harness = newHarness(env);
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TranslatedChunk, TranslatedDocument> newHarness(
            MockEnvironment environment) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ReassembleDocumentFunction(Duration.ofMinutes(10), Duration.ofDays(1))),
                new JobIdKeys.OfResult(), Types.STRING, environment);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
        env.close();
    }

    private List<JobStatus> statuses() {
        return harness.getSideOutput(OutputTags.JOB_STATUS) == null ? List.of()
                : harness.getSideOutput(OutputTags.JOB_STATUS).stream().map(StreamRecord::getValue)
                        .collect(Collectors.toList());
    }

    /** After a report only the tombstone is left; once its retention has passed, nothing of any job is. */
    private void assertJobStateAndTimersGoneAfterRetention() throws Exception {
        assertThat(harness.numProcessingTimeTimers()).isPositive();
        harness.setProcessingTime(harness.getProcessingTime() + DAY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void emitsTheWholeDocumentOnceInIndexOrderThenClearsStateAndTimer() throws Exception {
        harness.setProcessingTime(1_000);
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

        List<JobStatus> statuses = statuses();
        assertThat(statuses).hasSize(1);
        JobStatus status = statuses.get(0);
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
    void reportsAFailedJobAsSoonAsEveryIndexHasAResult() throws Exception {
        harness.processElement(succeeded("job", 0, 3, "Eins.", 0), 0);
        harness.processElement(failed("job", 1, 3, "PERMANENT finishReason=SAFETY", 0), 0);
        harness.processElement(succeeded("job", 2, 3, "Drei.", 0), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        JobStatus status = statuses().get(0);
        assertThat(status.outcome).isEqualTo(JobOutcome.FAILED);
        assertThat(status.chunksSucceeded).isEqualTo(2);
        assertThat(status.failedChunks).hasSize(1);
        assertThat(status.failedChunks[0].chunkIndex).isEqualTo(1);
        assertThat(status.failedChunks[0].reason).isEqualTo("PERMANENT finishReason=SAFETY");
        assertThat(status.missingIndices).isEmpty();
        assertJobStateAndTimersGoneAfterRetention();
        assertThat(metrics.count("documentsFailed")).isEqualTo(1);
    }

    @Test
    void reportsMissingAndFailedChunksAfterTheInactivityTimeout() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(succeeded("job", 0, 5, "Eins.", 0), 0);
        harness.setProcessingTime(8 * MINUTE);
        harness.processElement(failed("job", 3, 5, "gave up after 6 attempts", 0), 0);
        // Progress re-armed the timer: 10 minutes after the first chunk nothing happens yet.
        harness.setProcessingTime(10 * MINUTE);
        assertThat(statuses()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(18 * MINUTE);
        JobStatus status = statuses().get(0);
        assertThat(status.outcome).isEqualTo(JobOutcome.INCOMPLETE);
        assertThat(status.missingIndices).containsExactly(1, 2, 4);
        assertThat(status.failedChunks).extracting(f -> f.chunkIndex + ": " + f.reason)
                .containsExactly("3: gave up after 6 attempts");
        assertThat(status.chunksSucceeded).isEqualTo(1);
        assertThat(status.emittedAt).isEqualTo(18 * MINUTE);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertJobStateAndTimersGoneAfterRetention();
        assertThat(metrics.count("documentsIncomplete")).isEqualTo(1);
    }

    @Test
    void aDuplicateResultCountsOnceAndASuccessReplacesAFailure() throws Exception {
        harness.processElement(succeeded("job", 0, 2, "Eins.", 0), 0);
        harness.processElement(succeeded("job", 0, 2, "Eins, nochmal.", 0), 0);
        harness.processElement(failed("job", 1, 2, "transient", 0), 0);
        assertThat(statuses()).extracting(s -> s.outcome).containsExactly(JobOutcome.FAILED);

        harness.processElement(failed("other", 1, 2, "timed out", 0), 0);
        harness.processElement(succeeded("other", 1, 2, "Zwei.", 0), 0);
        harness.processElement(succeeded("other", 1, 2, "Zwei, nochmal.", 0), 0);
        harness.processElement(succeeded("other", 0, 2, "Eins.", 0), 0);

        assertThat(harness.extractOutputValues()).extracting(d -> d.jobId + ":" + d.text + ":" + d.geminiCalls)
                .containsExactly("other:Eins.Zwei.:2");
        assertThat(statuses()).extracting(s -> s.outcome).containsExactly(JobOutcome.FAILED, JobOutcome.COMPLETE);
        assertThat(metrics.count("duplicateResultsIgnored")).isEqualTo(2);
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void keepsJobsApart() throws Exception {
        harness.processElement(succeeded("a", 0, 2, "A0", 0), 0);
        harness.processElement(succeeded("b", 0, 1, "B0", 0), 0);
        assertThat(harness.extractOutputValues()).extracting(d -> d.jobId).containsExactly("b");
        // a's inactivity timer and b's tombstone expiry.
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
        harness.processElement(succeeded("a", 1, 2, "A1", 0), 0);
        assertThat(harness.extractOutputValues()).extracting(d -> d.text).containsExactly("B0", "A0A1");
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void aLateResultAfterACompleteDocumentIsDroppedUntilTheTombstoneExpires() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(succeeded("job", 0, 2, "Eins.", 0), 0);
        harness.processElement(succeeded("job", 1, 2, "Zwei.", 0), 0);
        // A replayed result long after the inactivity timeout, still within the retention.
        harness.setProcessingTime(5 * 60 * MINUTE);
        harness.processElement(succeeded("job", 1, 2, "Zwei, spaet.", 0), 0);
        harness.setProcessingTime(6 * 60 * MINUTE);

        assertThat(harness.extractOutputValues()).extracting(d -> d.text).containsExactly("Eins.Zwei.");
        assertThat(statuses()).extracting(s -> s.outcome).containsExactly(JobOutcome.COMPLETE);
        assertThat(metrics.count("lateResultsDropped")).isEqualTo(1);
        assertThat(metrics.count("documentsCompleted")).isEqualTo(1);
        // The late result neither extended nor replaced the tombstone's one timer.
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(DAY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aLateResultAfterAFailedDocumentIsDropped() throws Exception {
        harness.processElement(failed("job", 0, 2, "PERMANENT finishReason=SAFETY", 0), 0);
        harness.processElement(succeeded("job", 1, 2, "Zwei.", 0), 0);
        // Even a success for the failed index comes too late once the job was reported.
        harness.processElement(succeeded("job", 0, 2, "Eins.", 0), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(statuses()).extracting(s -> s.outcome).containsExactly(JobOutcome.FAILED);
        assertThat(metrics.count("lateResultsDropped")).isEqualTo(1);
        assertThat(metrics.count("documentsFailed")).isEqualTo(1);
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void aChunkThatWaitedLongerThanTheInactivityTimeoutDoesNotStartASecondReport() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(succeeded("job", 0, 2, "Eins.", 0), 0);
        harness.setProcessingTime(10 * MINUTE);
        assertThat(statuses()).extracting(s -> s.outcome).containsExactly(JobOutcome.INCOMPLETE);
        // Chunk 1 waited for quota up to the translate operator's 30-minute bound.
        harness.setProcessingTime(30 * MINUTE);
        harness.processElement(succeeded("job", 1, 2, "Zwei.", 0), 0);
        harness.setProcessingTime(60 * MINUTE);

        assertThat(statuses()).hasSize(1);
        assertThat(statuses().get(0).missingIndices).containsExactly(1);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(metrics.count("documentsIncomplete")).isEqualTo(1);
        assertThat(metrics.count("lateResultsDropped")).isEqualTo(1);
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void aJobIdSeenAgainAfterTheRetentionIsANewJob() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(succeeded("job", 0, 1, "Eins.", 0), 0);
        harness.setProcessingTime(DAY);
        harness.processElement(succeeded("job", 0, 1, "Noch einmal.", 0), 0);

        assertThat(harness.extractOutputValues()).extracting(d -> d.text).containsExactly("Eins.", "Noch einmal.");
        assertThat(metrics.count("lateResultsDropped")).isZero();
    }

    @Test
    void theTombstoneSurvivesASnapshotAndRestore() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(succeeded("job", 0, 1, "Eins.", 0), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        env.close();

        CapturedMetrics restoredMetrics = new CapturedMetrics();
        env = restoredMetrics.environment();
        harness = newHarness(env);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(60 * MINUTE);
        harness.processElement(succeeded("job", 0, 1, "Eins, nochmal.", 0), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(statuses()).isEmpty();
        assertThat(restoredMetrics.count("lateResultsDropped")).isEqualTo(1);
        assertThat(restoredMetrics.count("documentsCompleted")).isZero();
        assertJobStateAndTimersGoneAfterRetention();
    }

    @Test
    void theStatusCarriesTheEstimatedCostAtEachChunksModelPriceAndTheDuplicatesNotPaid() throws Exception {
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new ReassembleDocumentFunction(Duration.ofMinutes(10), Duration.ofDays(1),
                        GeminiPrices.parse("gemini-2.5-flash=0.30/2.50,gemini-2.5-pro=1.25/10"), "gemini-2.5-flash")),
                new JobIdKeys.OfResult(), Types.STRING, env);
        harness.open();
        TranslatedChunk byDefault = succeeded("job", 0, 3, "Eins.", 0);
        TranslatedChunk pro = succeeded("job", 1, 3, "Zwei.", 0);
        pro.model = "gemini-2.5-pro";
        TranslatedChunk unpriced = succeeded("job", 2, 3, "Drei.", 0);
        unpriced.model = "gemini-9-ultra";
        harness.processElement(TranslatedChunk.droppedDuplicateOf(Chunks.chunk("job", 0, 3)), 0);
        harness.processElement(byDefault, 0);
        harness.processElement(TranslatedChunk.droppedDuplicateOf(Chunks.chunk("job", 0, 3)), 0);
        harness.processElement(pro, 0);
        harness.processElement(unpriced, 0);
        harness.processElement(TranslatedChunk.droppedDuplicateOf(Chunks.chunk("job", 1, 3)), 0);

        JobStatus status = statuses().get(0);
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
    void aDuplicateNoticeWithoutAnyResultLeavesNothingBehind() throws Exception {
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
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReassembleDocumentFunction(Duration.ofMillis(-1), Duration.ofDays(1)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReassembleDocumentFunction(Duration.ofMinutes(10), Duration.ZERO))
                .withMessageContaining("reportedRetention");
    }
}
