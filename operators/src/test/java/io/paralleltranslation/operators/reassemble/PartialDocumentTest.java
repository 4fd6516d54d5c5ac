package io.paralleltranslation.operators.reassemble;

import static io.paralleltranslation.operators.testing.Chunks.failed;
import static io.paralleltranslation.operators.testing.Chunks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.operators.StateLifetimes;
import io.paralleltranslation.operators.records.JobIdKeys;
import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.OutputTags;
import io.paralleltranslation.operators.records.TranslatedChunk;
import io.paralleltranslation.operators.records.TranslatedDocument;
import io.paralleltranslation.operators.testing.CapturedMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FAILED and INCOMPLETE documents write what they have, with a marker per missing chunk. */
class PartialDocumentTest {
    private static final long MINUTE = 60_000;

    private MockEnvironment env;
    private KeyedOneInputStreamOperatorTestHarness<String, TranslatedChunk, TranslatedDocument> harness;

    @BeforeEach
    void open() throws Exception {
        env = new CapturedMetrics().environment();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ReassembleDocumentFunction(Duration.ofMinutes(10),
                        StateLifetimes.BACKSTOP, Duration.ofDays(1), null)),
                new JobIdKeys.OfResult(), Types.STRING, env);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
        env.close();
    }

    private List<TranslatedDocument> partials() {
        Queue<StreamRecord<TranslatedDocument>> out = harness.getSideOutput(OutputTags.PARTIAL_DOCUMENTS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    /** The final records: ACCEPTED and PROGRESS come before them. */
    private List<JobStatus> statuses() {
        return harness.getSideOutput(OutputTags.JOB_STATUS).stream().map(StreamRecord::getValue)
                .filter(s -> s.outcome.isFinal()).collect(Collectors.toList());
    }

    @Test
    void aFailedDocumentWritesItsTranslatedChunksAndMarksTheFailedOne() throws Exception {
        harness.setProcessingTime(1_000);
        harness.processElement(succeeded("job", 0, 3, "One.\n\n", "Eins.", 900), 0);
        harness.processElement(failed("job", 1, 3, "PERMANENT finishReason=SAFETY:\nrefused ]] here", 900), 0);
        harness.processElement(succeeded("job", 2, 3, "Three.\n", "Drei.", 900), 0);

        assertThat(harness.extractOutputValues()).as("no whole document").isEmpty();
        assertThat(statuses()).singleElement().satisfies(s -> assertThat(s.outcome).isEqualTo(JobOutcome.FAILED));
        assertThat(partials()).singleElement().satisfies(d -> {
            assertThat(d.jobId).isEqualTo("job");
            assertThat(d.totalChunks).isEqualTo(3);
            assertThat(d.text).isEqualTo("Eins.\n\n"
                    + "[[parallel-translation: MISSING CHUNK index=1 of=3 FAILED: PERMANENT finishReason=SAFETY: "
                    + "refused ] ] here]]\n\n"
                    + "Drei.\n");
        });
    }

    @Test
    void anIncompleteDocumentMarksWhatNeverArrived() throws Exception {
        harness.setProcessingTime(1_000);
        harness.processElement(succeeded("job", 0, 3, "One. ", "Eins.", 900), 0);
        harness.setProcessingTime(1_000 + 10 * MINUTE);

        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.outcome).isEqualTo(JobOutcome.INCOMPLETE);
            assertThat(s.missingIndices).containsExactly(1, 2);
        });
        assertThat(partials()).singleElement().satisfies(d -> assertThat(d.text).isEqualTo("Eins. "
                + MissingChunkMarker.PREFIX + " index=1 of=3 MISSING: " + MissingChunkMarker.MISSING_REASON + "]]\n\n"
                + MissingChunkMarker.PREFIX + " index=2 of=3 MISSING: " + MissingChunkMarker.MISSING_REASON + "]]\n\n"));
    }

    @Test
    void aCompleteDocumentHasNoPartialAndCountsItsCachedChunks() throws Exception {
        TranslatedChunk cached = succeeded("job", 1, 2, "Zwei.", 900);
        cached.fromCache = true;
        cached.geminiCalls = 0;
        harness.processElement(succeeded("job", 0, 2, "Eins.", 900), 0);
        harness.processElement(cached, 0);

        assertThat(partials()).isEmpty();
        assertThat(harness.extractOutputValues()).extracting(d -> d.text).containsExactly("Eins.Zwei.");
        assertThat(statuses()).singleElement().satisfies(s -> {
            assertThat(s.chunksFromCache).isEqualTo(1);
            assertThat(s.geminiCalls).isEqualTo(1);
        });
    }
}
