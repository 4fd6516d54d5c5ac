package io.paralleltranslation.operators.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import io.paralleltranslation.operators.records.DeadLetter;
import io.paralleltranslation.operators.records.OutputTags;
import io.paralleltranslation.operators.testing.CapturedMetrics;
import io.paralleltranslation.operators.testing.Chunks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ParseChunkFunctionTest {

    @Test
    void passesValidChunksAndDeadLettersTheRestWithReasonRawRecordAndTime() throws Exception {
        CapturedMetrics metrics = new CapturedMetrics();
        try (MockEnvironment env = metrics.environment();
                OneInputStreamOperatorTestHarness<byte[], ChunkRecord> harness =
                        new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new ParseChunkFunction()), env)) {
            harness.open();
            harness.setProcessingTime(1_000);
            ChunkRecord good = Chunks.chunk("job-1", 0, 2);
            harness.processElement(ChunkRecordCodec.toJsonBytes(good), 0);
            ChunkRecord outOfRange = Chunks.chunk("job-1", 2, 2);
            byte[] outOfRangeBytes = ChunkRecordCodec.toJsonBytes(outOfRange);
            harness.processElement(outOfRangeBytes, 0);
            byte[] notUtf8 = {'{', (byte) 0xC3, (byte) 0x28, '}'};
            harness.processElement(notUtf8, 0);

            assertThat(harness.extractOutputValues()).containsExactly(good);
            List<DeadLetter> dead = harness.getSideOutput(OutputTags.DEAD_LETTERS).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(dead).hasSize(2);

            DeadLetter range = dead.get(0);
            assertThat(range.stage).isEqualTo("parse");
            assertThat(range.reason).isEqualTo("chunkIndex 2 outside [0, 2)");
            assertThat(range.jobId).isEqualTo("job-1");
            assertThat(range.chunkIndex).isEqualTo(2);
            assertThat(range.detectedAt).isEqualTo(1_000);
            assertThat(range.rawEncoding).isEqualTo(DeadLetter.ENCODING_UTF8);
            assertThat(range.raw).isEqualTo(new String(outOfRangeBytes, StandardCharsets.UTF_8));

            DeadLetter binary = dead.get(1);
            assertThat(binary.reason).isEqualTo("record is not UTF-8: invalid byte sequence");
            assertThat(binary.rawEncoding).isEqualTo(DeadLetter.ENCODING_BASE64);
            assertThat(binary.rawBytes()).isEqualTo(notUtf8);
            assertThat(binary.jobId).isNull();
            assertThat(binary.chunkIndex).isNull();

            assertThat(metrics.count("deadLettersParse")).isEqualTo(2);
        }
    }
}
