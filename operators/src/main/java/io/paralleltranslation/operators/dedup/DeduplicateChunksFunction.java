package io.paralleltranslation.operators.dedup;

import io.paralleltranslation.operators.StateLifetimes;
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
 * Step 2, keyed by jobId: drops a chunk index already seen with the same content (Kinesis
 * producers retry and put duplicates) before it costs a model call, and dead-letters a chunk whose
 * {@code totalChunks} disagrees with the job's earlier chunks, or whose content differs from the
 * chunk already accepted at its index (a conflict: the first one is kept and translated, the
 * dead letter names both digests so the producer's bug can be found). The job's state is cleared
 * by a processing-time timer {@code retention} after its last chunk; a duplicate arriving later
 * than that passes again. Each dropped duplicate also goes, as a notice, to
 * {@link OutputTags#DROPPED_DUPLICATES} for the job's status (the model calls it did not pay for).
 */
public class DeduplicateChunksFunction extends KeyedProcessFunction<String, ChunkRecord, ChunkRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeduplicateChunksFunction.class);
    public static final String STAGE = "dedup";

    private final long retentionMillis;

    private transient ValueState<Integer> totalChunks;
    /** Chunk index to the {@link ChunkRecord#contentDigest()} of the chunk accepted there. */
    private transient MapState<Integer, String> seen;
    private transient ValueState<Long> cleanupAt;
    private transient Counter duplicatesDropped;
    private transient Counter deadLetters;
    private transient Counter conflicts;

    public DeduplicateChunksFunction() {
        this(StateLifetimes.RETENTION);
    }

    /** @param retention how long after a document's last chunk its seen indices are kept */
    public DeduplicateChunksFunction(Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        totalChunks = getRuntimeContext().getState(new ValueStateDescriptor<>("totalChunks", Types.INT));
        // A new state name: the earlier Boolean-valued "seenChunks" cannot be read as digests.
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("seenChunkDigests", Types.INT,
                Types.STRING));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanupAt", Types.LONG));
        MetricGroup metrics = OperatorMetrics.group(getRuntimeContext().getMetricGroup());
        duplicatesDropped = metrics.counter(MetricNames.DUPLICATE_CHUNKS_DROPPED);
        deadLetters = metrics.counter(MetricNames.DEAD_LETTERS_DEDUP);
        conflicts = metrics.counter(MetricNames.CONFLICTING_CHUNKS);
    }

    @Override
    public void processElement(ChunkRecord chunk, Context ctx, Collector<ChunkRecord> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Integer expected = totalChunks.value();
        String digest = chunk.contentDigest();
        String accepted = seen.get(chunk.chunkIndex);
        if (expected != null && expected != chunk.totalChunks) {
            deadLetter(ctx, chunk, now, "totalChunks " + chunk.totalChunks + " disagrees with " + expected
                    + " of earlier chunks of this job");
        } else if (accepted == null) {
            if (expected == null) {
                totalChunks.update(chunk.totalChunks);
            }
            seen.put(chunk.chunkIndex, digest);
            out.collect(chunk);
        } else if (accepted.equals(digest)) {
            duplicatesDropped.inc();
            LOG.debug("Dropped duplicate chunk {} of document {}", chunk.chunkIndex, chunk.jobId);
            ctx.output(OutputTags.DROPPED_DUPLICATES, TranslatedChunk.droppedDuplicateOf(chunk));
        } else {
            conflicts.inc();
            deadLetter(ctx, chunk, now, "conflict: chunk " + chunk.chunkIndex + " of this job was already accepted"
                    + " with other content (sha256 " + accepted + "); this one (sha256 " + digest
                    + ") is dropped and the first is translated");
        }
        rearmCleanup(ctx, now);
    }

    private void deadLetter(Context ctx, ChunkRecord chunk, long now, String reason) {
        deadLetters.inc();
        LOG.info("Dead-lettered chunk {} of document {}: {}", chunk.chunkIndex, chunk.jobId, reason);
        ctx.output(OutputTags.DEAD_LETTERS, DeadLetter.of(STAGE, reason, ChunkRecordCodec.toJsonBytes(chunk),
                now, chunk.jobId, chunk.chunkIndex));
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
