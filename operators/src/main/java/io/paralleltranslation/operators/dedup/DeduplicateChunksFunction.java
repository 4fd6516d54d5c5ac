package io.paralleltranslation.operators.dedup;

import io.paralleltranslation.operators.metrics.MetricNames;
import io.paralleltranslation.operators.metrics.OperatorMetrics;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import io.paralleltranslation.operators.records.DeadLetter;
import io.paralleltranslation.operators.records.OutputTags;
import io.paralleltranslation.operators.records.TranslatedChunk;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2, keyed by jobId: drops a chunk index already seen (Kinesis producers retry and put
 * duplicates) before it costs a model call, and dead-letters a chunk whose {@code totalChunks}
 * disagrees with the job's earlier chunks. Each dropped duplicate also goes, as a notice, to
 * {@link OutputTags#DROPPED_DUPLICATES} for the job's status. The job's state is cleared by a processing-time timer
 * {@code retention} after its last chunk; a duplicate arriving later than that passes again.
 */
public class DeduplicateChunksFunction extends KeyedProcessFunction<String, ChunkRecord, ChunkRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeduplicateChunksFunction.class);
    public static final String STAGE = "dedup";
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

    private final long retentionMillis;

    private transient ValueState<Integer> totalChunks;
    private transient MapState<Integer, Boolean> seen;
    private transient ValueState<Long> cleanupAt;
    private transient Counter duplicatesDropped;
    private transient Counter deadLetters;

    public DeduplicateChunksFunction() {
        this(DEFAULT_RETENTION);
    }

    /** @param retention how long after a job's last chunk its seen indices are kept */
    public DeduplicateChunksFunction(Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        totalChunks = getRuntimeContext().getState(new ValueStateDescriptor<>("totalChunks", Types.INT));
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("seenChunks", Types.INT, Types.BOOLEAN));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanupAt", Types.LONG));
        MetricGroup metrics = OperatorMetrics.group(getRuntimeContext().getMetricGroup());
        duplicatesDropped = metrics.counter(MetricNames.DUPLICATE_CHUNKS_DROPPED);
        deadLetters = metrics.counter(MetricNames.DEAD_LETTERS_DEDUP);
    }

    @Override
    public void processElement(ChunkRecord chunk, Context ctx, Collector<ChunkRecord> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Integer expected = totalChunks.value();
        if (expected != null && expected != chunk.totalChunks) {
            deadLetters.inc();
            String reason = "totalChunks " + chunk.totalChunks + " disagrees with " + expected
                    + " of earlier chunks of this job";
            LOG.info("Dead-lettered chunk {} of job {}: {}", chunk.chunkIndex, chunk.jobId, reason);
            ctx.output(OutputTags.DEAD_LETTERS, DeadLetter.of(STAGE, reason, ChunkRecordCodec.toJsonBytes(chunk),
                    now, chunk.jobId, chunk.chunkIndex));
        } else if (seen.contains(chunk.chunkIndex)) {
            duplicatesDropped.inc();
            LOG.debug("Dropped duplicate chunk {} of job {}", chunk.chunkIndex, chunk.jobId);
            // The job's status counts the model calls it did not pay for.
            ctx.output(OutputTags.DROPPED_DUPLICATES, TranslatedChunk.droppedDuplicateOf(chunk));
        } else {
            if (expected == null) {
                totalChunks.update(chunk.totalChunks);
            }
            seen.put(chunk.chunkIndex, Boolean.TRUE);
            out.collect(chunk);
        }
        rearmCleanup(ctx, now);
    }

    private void rearmCleanup(Context ctx, long now) throws Exception {
        Long previous = cleanupAt.value();
        if (previous != null) {
            ctx.timerService().deleteProcessingTimeTimer(previous);
        }
        long at = now + retentionMillis;
        ctx.timerService().registerProcessingTimeTimer(at);
        cleanupAt.update(at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ChunkRecord> out) {
        totalChunks.clear();
        seen.clear();
        cleanupAt.clear();
    }
}
