package io.paralleltranslation.operators.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import io.paralleltranslation.operators.records.DeadLetter;
import io.paralleltranslation.operators.records.JobIdKeys;
import io.paralleltranslation.operators.records.OutputTags;
import io.paralleltranslation.operators.testing.CapturedMetrics;
import io.paralleltranslation.operators.testing.Chunks;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateChunksFunctionTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final CapturedMetrics metrics = new CapturedMetrics();
    private MockEnvironment env;
    private KeyedOneInputStreamOperatorTestHarness<String, ChunkRecord, ChunkRecord> harness;

    @BeforeEach
    void open() throws Exception {
        env = metrics.environment();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateChunksFunction(Duration.ofHours(24))),
                new JobIdKeys.OfChunk(), Types.STRING, env);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
        env.close();
    }

    private List<DeadLetter> deadLetters() {
        return harness.getSideOutput(OutputTags.DEAD_LETTERS) == null ? List.of()
                : harness.getSideOutput(OutputTags.DEAD_LETTERS).stream().map(StreamRecord::getValue)
                        .collect(Collectors.toList());
    }

    @Test
    void dropsChunksAlreadySeenPerJobAndCountsThem() throws Exception {
        harness.processElement(Chunks.chunk("a", 0, 3), 0);
        harness.processElement(Chunks.chunk("a", 1, 3), 0);
        harness.processElement(Chunks.chunk("a", 0, 3), 0);
        harness.processElement(Chunks.chunk("b", 0, 2), 0);
        harness.processElement(Chunks.chunk("a", 1, 3), 0);

        assertThat(harness.extractOutputValues()).extracting(c -> c.jobId + "#" + c.chunkIndex)
                .containsExactly("a#0", "a#1", "b#0");
        assertThat(metrics.count("duplicateChunksDropped")).isEqualTo(2);
        assertThat(deadLetters()).isEmpty();
        // Each drop is noticed to the reassembly, so the job's status counts the calls not paid.
        assertThat(harness.getSideOutput(OutputTags.DROPPED_DUPLICATES)).extracting(r -> r.getValue().jobId + "#"
                + r.getValue().chunkIndex + ":" + r.getValue().droppedDuplicate + ":" + r.getValue().status)
                .containsExactly("a#0:true:null", "a#1:true:null");
    }

    @Test
    void deadLettersAChunkWhoseTotalDisagreesWithTheJobsEarlierChunks() throws Exception {
        harness.setProcessingTime(5_000);
        harness.processElement(Chunks.chunk("a", 0, 3), 0);
        ChunkRecord liar = Chunks.chunk("a", 1, 4);
        harness.processElement(liar, 0);
        harness.processElement(Chunks.chunk("a", 1, 3), 0);

        assertThat(harness.extractOutputValues()).extracting(c -> c.chunkIndex).containsExactly(0, 1);
        List<DeadLetter> dead = deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).stage).isEqualTo("dedup");
        assertThat(dead.get(0).reason).isEqualTo("totalChunks 4 disagrees with 3 of earlier chunks of this job");
        assertThat(dead.get(0).jobId).isEqualTo("a");
        assertThat(dead.get(0).chunkIndex).isEqualTo(1);
        assertThat(dead.get(0).detectedAt).isEqualTo(5_000);
        assertThat(ChunkRecordCodec.fromJson(dead.get(0).rawBytes())).isEqualTo(liar);
        assertThat(metrics.count("deadLettersDedup")).isEqualTo(1);
    }

    @Test
    void deadLettersAChunkWhoseContentConflictsWithTheAcceptedOneAndKeepsTheFirst() throws Exception {
        ChunkRecord first = Chunks.chunk("a", 1, 3);
        ChunkRecord other = Chunks.chunk("a", 1, 3);
        other.text = "Different text.";
        harness.processElement(first, 0);
        harness.processElement(other, 0);
        harness.processElement(Chunks.chunk("a", 1, 3), 0);

        assertThat(harness.extractOutputValues()).containsExactly(first);
        List<DeadLetter> dead = deadLetters();
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.stage).isEqualTo("dedup");
            assertThat(d.reason).startsWith("conflict: chunk 1 of this job was already accepted with other content")
                    .contains("sha256 " + first.contentDigest()).contains("sha256 " + other.contentDigest());
            assertThat(d.chunkIndex).isEqualTo(1);
            assertThat(ChunkRecordCodec.fromJson(d.rawBytes())).isEqualTo(other);
        });
        assertThat(metrics.count("conflictingChunks")).isEqualTo(1);
        assertThat(metrics.count("duplicateChunksDropped")).isEqualTo(1);
    }

    @Test
    void aResubmissionOfTheSameTextIsADuplicateNotAConflict() throws Exception {
        ChunkRecord first = Chunks.chunk("a", 0, 3);
        ChunkRecord again = Chunks.chunk("a", 0, 3);
        again.submittedAt = "2026-12-02T08:00:00Z";
        again.source = "renamed.md";
        harness.processElement(first, 0);
        harness.processElement(again, 0);

        assertThat(harness.extractOutputValues()).containsExactly(first);
        assertThat(deadLetters()).isEmpty();
        assertThat(metrics.count("duplicateChunksDropped")).isEqualTo(1);
    }

    @Test
    void clearsAllStateAndItsTimerRetentionAfterTheLastChunk() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(Chunks.chunk("a", 0, 3), 0);
        harness.setProcessingTime(10 * HOUR);
        harness.processElement(Chunks.chunk("a", 1, 3), 0);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(10 * HOUR + 24 * HOUR - 1);
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
        harness.processElement(Chunks.chunk("a", 0, 3), 0);
        assertThat(harness.extractOutputValues()).hasSize(2);

        harness.setProcessingTime(10 * HOUR + 48 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        // After retention the job is forgotten: the same index passes again.
        harness.processElement(Chunks.chunk("a", 0, 3), 0);
        assertThat(harness.extractOutputValues()).hasSize(3);
    }

    @Test
    void refusesANonPositiveRetention() {
        assertThatIllegalArgumentException().isThrownBy(() -> new DeduplicateChunksFunction(Duration.ZERO));
    }
}
