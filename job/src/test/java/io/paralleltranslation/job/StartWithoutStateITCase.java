package io.paralleltranslation.job;

import static io.paralleltranslation.job.JobRuns.CHUNK_TOKENS;
import static io.paralleltranslation.job.JobRuns.LANG;
import static io.paralleltranslation.job.JobRuns.document;
import static io.paralleltranslation.job.JobRuns.expectedTranslation;
import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.job.JobRuns.Outputs;
import io.paralleltranslation.job.sink.DocumentSink;
import io.paralleltranslation.job.submit.Submissions;
import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start without state (a new application version without a snapshot, a lost snapshot) reads the
 * stream from TRIM_HORIZON again: with the durable cache the replay pays for nothing, and a document
 * delivered by the earlier run is neither written a second time nor rewritten.
 */
class StartWithoutStateITCase {
    @RegisterExtension
    static final JobStandIns STAND_INS = new JobStandIns();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aStartWithoutStatePaysNothingAndLeavesTheDeliveredDocumentAsItWas() throws Exception {
        KinesisStandIn kinesis = STAND_INS.kinesis();
        String text = document("fresh", 12);
        Path source = Files.writeString(dir.resolve("fresh.md"), text);
        String arn = kinesis.createStream("fresh", 2);
        String jobId = Submissions.submit("--stream", arn, "--endpoint", kinesis.endpoint(), "--target-lang", LANG,
                "--chunk-tokens", Integer.toString(CHUNK_TOKENS), source.toString()).get(0);
        // Both runs: the same stream from TRIM_HORIZON, the same cache table, the same output directory.
        Map<String, String> settings = STAND_INS.settings(dir, arn, "fresh", 2, 10);

        Outputs first = JobRuns.run(settings, o -> o.documents.containsKey(jobId)
                && o.finals().containsKey(jobId));
        Path file = first.documentFiles.get(jobId);
        byte[] delivered = Files.readAllBytes(file);
        FileTime deliveredAt = Files.getLastModifiedTime(file);
        assertThat(new String(delivered, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(expectedTranslation(text));
        int callsBefore = STAND_INS.emulator().stats().requests;
        assertThat(callsBefore).isEqualTo(12);

        // Cancelled, not stopped with a savepoint; the next job starts with no state at all.
        Outputs second = JobRuns.run(settings, o -> again(o, jobId) != null);

        JobStatus again = again(second, jobId);
        assertThat(STAND_INS.emulator().stats().requests - callsBefore).as("calls for the replay").isZero();
        assertThat(again.outcome).isEqualTo(JobOutcome.COMPLETE);
        assertThat(again.chunksFromCache).isEqualTo(12);
        assertThat(again.geminiCalls).isZero();
        assertThat(Path.of(java.net.URI.create(again.outputPath))).isEqualTo(file);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.collect(Collectors.toList())).as("the document's folder").containsExactly(file);
        }
        assertThat(Files.readAllBytes(file)).as("the delivered bytes").isEqualTo(delivered);
        assertThat(Files.getLastModifiedTime(file)).as("not rewritten").isEqualTo(deliveredAt);
        List<JobStatus> completes = second.statuses.stream()
                .filter(s -> s.jobId.equals(jobId) && s.outcome == JobOutcome.COMPLETE).collect(Collectors.toList());
        assertThat(completes).as("the first COMPLETE record stays, the second says it was delivered before")
                .hasSize(2).filteredOn(s -> s.reason == null).singleElement()
                .satisfies(s -> assertThat(s.geminiCalls).isEqualTo(12));
    }

    /** The status record saying the document was delivered before, or null. */
    private static JobStatus again(Outputs outputs, String jobId) {
        return outputs.statuses.stream().filter(s -> s.jobId.equals(jobId) && s.reason != null
                && s.reason.startsWith(DocumentSink.ALREADY_DELIVERED)).findFirst().orElse(null);
    }
}
