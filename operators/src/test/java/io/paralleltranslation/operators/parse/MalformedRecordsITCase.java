package io.paralleltranslation.operators.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.operators.dedup.DeduplicateChunksFunction;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.DeadLetter;
import io.paralleltranslation.operators.records.JobIdKeys;
import io.paralleltranslation.operators.records.OutputTags;
import io.paralleltranslation.operators.testing.MalformedRecords;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every kind of malformed record of {@link MalformedRecords}, in one stream with good records,
 * through parse and dedup as the job wires them, on a MiniCluster whose restart strategy is none:
 * each bad record comes out as exactly one dead letter with its stage and reason, the good ones
 * pass, and the job finishes without a single failure (one would fail it, there being no restart).
 */
@Timeout(120)
class MalformedRecordsITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    void everyKindIsOneDeadLetterWithItsReasonAndTheJobNeverFails() throws Exception {
        List<MalformedRecords.Kind> kinds = MalformedRecords.all();
        assertThat(kinds).hasSizeGreaterThanOrEqualTo(40);
        List<byte[]> records = new ArrayList<>(MalformedRecords.goodRecords());
        kinds.forEach(k -> records.add(k.raw));

        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        // One source subtask keeps the records in order: a dedup kind must follow its good record.
        env.setParallelism(1);
        SingleOutputStreamOperator<ChunkRecord> parsed = env
                .fromData(records, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .process(new ParseChunkFunction()).name("parse");
        SingleOutputStreamOperator<ChunkRecord> unique = parsed.keyBy(new JobIdKeys.OfChunk())
                .process(new DeduplicateChunksFunction()).name("dedup");
        CloseableIterator<ChunkRecord> accepted = unique.collectAsync();
        CloseableIterator<DeadLetter> deadLetters = parsed.getSideOutput(OutputTags.DEAD_LETTERS)
                .union(unique.getSideOutput(OutputTags.DEAD_LETTERS)).collectAsync();

        JobClient job = env.executeAsync("malformed records");

        List<ChunkRecord> passed = drain(accepted);
        assertThat(passed).extracting(c -> c.jobId).containsExactlyInAnyOrder("collide-total", "collide-content");
        List<DeadLetter> dead = drain(deadLetters);
        // Throws if the job failed; with no restart strategy any failure would have ended it.
        JobExecutionResult result = job.getJobExecutionResult().get();
        assertThat(result.getNetRuntime()).isPositive();
        assertThat(dead).hasSameSizeAs(kinds);
        for (MalformedRecords.Kind kind : kinds) {
            assertThat(dead).as(kind.name)
                    .filteredOn(d -> Arrays.equals(d.rawBytes(), kind.raw) || kind.stage.equals("dedup")
                            && d.stage.equals("dedup") && d.reason.startsWith(kind.reasonPrefix))
                    .singleElement().satisfies(d -> {
                        assertThat(d.stage).as(kind.name).isEqualTo(kind.stage);
                        assertThat(d.reason).as(kind.name).startsWith(kind.reasonPrefix);
                    });
        }
    }

    private static <T> List<T> drain(CloseableIterator<T> iterator) throws Exception {
        List<T> all = new ArrayList<>();
        try (CloseableIterator<T> it = iterator) {
            it.forEachRemaining(all::add);
        }
        return all;
    }
}
