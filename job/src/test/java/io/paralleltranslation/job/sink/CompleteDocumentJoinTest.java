package io.paralleltranslation.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.JsonLines;
import io.paralleltranslation.operators.records.TranslatedDocument;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CompleteDocumentJoinTest {

    private static KeyedTwoInputStreamOperatorTestHarness<String, TranslatedDocument, JobStatus, DocumentFile> harness()
            throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, TranslatedDocument, JobStatus, DocumentFile> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new CompleteDocumentJoin("file:/out/")),
                        new CompleteDocumentJoin.DocumentKey(), new CompleteDocumentJoin.StatusKey(),
                        org.apache.flink.api.common.typeinfo.Types.STRING);
        h.open();
        return h;
    }

    private static TranslatedDocument document(String jobId) {
        TranslatedDocument d = new TranslatedDocument();
        d.jobId = jobId;
        d.source = "guide.md";
        d.targetLanguage = "de";
        d.text = "Hallo " + jobId;
        return d;
    }

    private static JobStatus complete(String jobId) {
        JobStatus s = new JobStatus();
        s.jobId = jobId;
        s.source = "guide.md";
        s.targetLanguage = "de";
        s.outcome = JobOutcome.COMPLETE;
        s.totalChunks = 3;
        s.chunksSucceeded = 3;
        return s;
    }

    @Test
    void pairsEachDocumentWithItsStatusInEitherOrderAndClearsItsState() throws Exception {
        try (KeyedTwoInputStreamOperatorTestHarness<String, TranslatedDocument, JobStatus, DocumentFile> h = harness()) {
            h.processElement1(document("a"), 1);
            h.processElement2(complete("b"), 2);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numKeyedStateEntries()).as("one waiting document, one waiting status").isEqualTo(2);

            h.processElement2(complete("a"), 3);
            h.processElement1(document("b"), 4);

            assertThat(h.extractOutputValues()).extracting(f -> f.jobId, f -> f.fileName, f -> f.content)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "guide.de.md", "Hallo a"),
                            org.assertj.core.groups.Tuple.tuple("b", "guide.de.md", "Hallo b"));
            JobStatus status = JsonLines.fromLine(h.extractOutputValues().get(0).statusLine, JobStatus.class);
            assertThat(status.outcome).isEqualTo(JobOutcome.COMPLETE);
            assertThat(status.outputPath).isEqualTo("file:/out/a/guide.de.md");
            assertThat(status.chunksSucceeded).isEqualTo(3);
            assertThat(h.numKeyedStateEntries()).as("state cleared once paired").isZero();
            assertThat(h.numEventTimeTimers() + h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void onlyCompleteStatusesArePaired() {
        JobStatus incomplete = complete("x");
        incomplete.outcome = JobOutcome.INCOMPLETE;
        assertThat(new CompleteDocumentJoin.IsComplete(true).filter(complete("x"))).isTrue();
        assertThat(new CompleteDocumentJoin.IsComplete(true).filter(incomplete)).isFalse();
        assertThat(new CompleteDocumentJoin.IsComplete(false).filter(incomplete)).isTrue();
    }
}
