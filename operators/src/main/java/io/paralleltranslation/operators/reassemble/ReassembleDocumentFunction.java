package io.paralleltranslation.operators.reassemble;

import io.paralleltranslation.operators.cost.GeminiPrices;
import io.paralleltranslation.operators.gemini.GeminiClientSettings;
import io.paralleltranslation.operators.metrics.MetricNames;
import io.paralleltranslation.operators.metrics.OperatorMetrics;
import io.paralleltranslation.operators.records.ChunkFailure;
import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.OutputTags;
import io.paralleltranslation.operators.records.TranslatedChunk;
import io.paralleltranslation.operators.records.TranslatedDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 4, keyed by jobId: collects the translated chunks of a document in {@code MapState} and
 * reports it exactly once, then keeps only a tombstone (the outcome and when it was reported) for
 * {@code reportedRetention}, after which nothing of the job is left, state or timer.
 * <ul>
 *   <li>every index {@code 0..totalChunks-1} succeeded: ONE {@link TranslatedDocument} on the main
 *       output and a COMPLETE {@link JobStatus}. Its text is each chunk's
 *       {@link TranslatedChunk#documentPart()} in index order: the translation between its source
 *       chunk's own edge whitespace, so a sentence cut stays a space and a paragraph cut a blank
 *       line;</li>
 *   <li>every index has a result but some failed: a FAILED status at once, no document;</li>
 *   <li>no new result for {@code inactivityTimeout} (processing time, re-armed by each new
 *       result): an INCOMPLETE status listing the missing indices and the failed chunks.</li>
 * </ul>
 * A FAILED or INCOMPLETE job also gets its partial document on {@link OutputTags#PARTIAL_DOCUMENTS}:
 * what was translated, with a {@link MissingChunkMarker} for each chunk it lacks.
 * Statuses go to the side output {@link OutputTags#JOB_STATUS}. A second result for an index
 * (replayed after a restart) is ignored, unless it is a success replacing a failure: counts come
 * from the one result kept per index, so nothing is counted twice.
 *
 * <p>A result arriving after its job was reported (e.g. a chunk that waited for quota longer than
 * the inactivity timeout) is dropped and counted in {@link MetricNames#LATE_RESULTS_DROPPED}: the
 * tombstone keeps it from starting a second report that would list already translated chunks as
 * missing. The job wiring sets the retention to the dedup retention, as a chunk replayed later than
 * that is translated again anyway.
 *
 * <p>The status carries the job's estimated Gemini cost (each kept result's tokens at its model's
 * price) and the notices of dropped duplicates ({@link TranslatedChunk#droppedDuplicate}) counted
 * before the report; a notice after it only stays in the dedup step's metric.
 */
public class ReassembleDocumentFunction extends KeyedProcessFunction<String, TranslatedChunk, TranslatedDocument> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReassembleDocumentFunction.class);
    public static final Duration DEFAULT_INACTIVITY_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_REPORTED_RETENTION = Duration.ofDays(1);

    private final long inactivityTimeoutMillis;
    private final long reportedRetentionMillis;
    private final GeminiPrices prices;
    private final String defaultModel;

    private transient MapState<Integer, TranslatedChunk> results;
    private transient ValueState<Integer> received;
    /** The job's one timer: the inactivity timeout while collecting, the tombstone's expiry after the report. */
    private transient ValueState<Long> timeoutAt;
    private transient ValueState<JobOutcome> reportedOutcome;
    private transient ValueState<Long> reportedAt;
    private transient ValueState<Integer> duplicatesDropped;
    private transient Counter documentsCompleted;
    private transient Counter documentsFailed;
    private transient Counter documentsIncomplete;
    private transient Counter duplicateResultsIgnored;
    private transient Counter lateResultsDropped;
    private transient Counter estimatedCostMicroUsd;
    private transient Histogram documentTranslationMillis;

    public ReassembleDocumentFunction() {
        this(DEFAULT_INACTIVITY_TIMEOUT, DEFAULT_REPORTED_RETENTION);
    }

    /**
     * @param inactivityTimeout how long a job may go without a new chunk result before it is reported incomplete
     * @param reportedRetention how long a reported job's tombstone drops late results for it
     */
    public ReassembleDocumentFunction(Duration inactivityTimeout, Duration reportedRetention) {
        this(inactivityTimeout, reportedRetention, GeminiPrices.defaults(),
                GeminiClientSettings.builder().build().defaultModel());
    }

    /**
     * @param prices what Gemini tokens cost, per model
     * @param defaultModel the model of a chunk whose record names none
     */
    public ReassembleDocumentFunction(Duration inactivityTimeout, Duration reportedRetention, GeminiPrices prices,
            String defaultModel) {
        this.inactivityTimeoutMillis = positiveMillis("inactivityTimeout", inactivityTimeout);
        this.reportedRetentionMillis = positiveMillis("reportedRetention", reportedRetention);
        this.prices = prices;
        this.defaultModel = defaultModel;
    }

    private static long positiveMillis(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        results = getRuntimeContext().getMapState(new MapStateDescriptor<>("chunkResults", Types.INT,
                TypeInformation.of(TranslatedChunk.class)));
        received = getRuntimeContext().getState(new ValueStateDescriptor<>("chunksReceived", Types.INT));
        timeoutAt = getRuntimeContext().getState(new ValueStateDescriptor<>("timeoutAt", Types.LONG));
        reportedOutcome = getRuntimeContext().getState(new ValueStateDescriptor<>("reportedOutcome",
                TypeInformation.of(JobOutcome.class)));
        reportedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("reportedAt", Types.LONG));
        duplicatesDropped = getRuntimeContext().getState(new ValueStateDescriptor<>("duplicatesDropped", Types.INT));
        MetricGroup metrics = OperatorMetrics.group(getRuntimeContext().getMetricGroup());
        documentsCompleted = metrics.counter(MetricNames.DOCUMENTS_COMPLETED);
        documentsFailed = metrics.counter(MetricNames.DOCUMENTS_FAILED);
        documentsIncomplete = metrics.counter(MetricNames.DOCUMENTS_INCOMPLETE);
        duplicateResultsIgnored = metrics.counter(MetricNames.DUPLICATE_RESULTS_IGNORED);
        lateResultsDropped = metrics.counter(MetricNames.LATE_RESULTS_DROPPED);
        estimatedCostMicroUsd = metrics.counter(MetricNames.ESTIMATED_COST_MICRO_USD);
        documentTranslationMillis = OperatorMetrics.histogramWithPercentiles(metrics,
                MetricNames.DOCUMENT_TRANSLATION_MILLIS);
    }

    @Override
    public void processElement(TranslatedChunk chunk, Context ctx, Collector<TranslatedDocument> out)
            throws Exception {
        JobOutcome outcome = reportedOutcome.value();
        if (chunk.droppedDuplicate) {
            if (outcome == null) {
                countDroppedDuplicate(ctx);
            }
            return;
        }
        if (outcome != null) {
            lateResultsDropped.inc();
            LOG.warn("Dropped a late result for chunk {} of job {}: the job was reported {} at {} (epoch ms)",
                    chunk.chunkIndex, chunk.jobId, outcome, reportedAt.value());
            return;
        }
        TranslatedChunk existing = results.get(chunk.chunkIndex);
        if (existing != null && (existing.succeeded() || !chunk.succeeded())) {
            duplicateResultsIgnored.inc();
            LOG.debug("Ignored a second result for chunk {} of job {}", chunk.chunkIndex, chunk.jobId);
            return;
        }
        results.put(chunk.chunkIndex, chunk);
        int count = received.value() == null ? 0 : received.value();
        if (existing == null) {
            count++;
            received.update(count);
        }
        long now = ctx.timerService().currentProcessingTime();
        if (count >= chunk.totalChunks) {
            report(ctx.getCurrentKey(), chunk.totalChunks, now, ctx, out);
            return;
        }
        rearmTimer(ctx, now + inactivityTimeoutMillis);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TranslatedDocument> out) throws Exception {
        if (reportedOutcome.value() != null) {
            clearAll(ctx);
            return;
        }
        Iterator<TranslatedChunk> any = results.values().iterator();
        if (any.hasNext()) {
            report(ctx.getCurrentKey(), any.next().totalChunks, timestamp, ctx, out);
        } else {
            clearAll(ctx);
        }
    }

    private void countDroppedDuplicate(Context ctx) throws Exception {
        Integer dropped = duplicatesDropped.value();
        duplicatesDropped.update(dropped == null ? 1 : dropped + 1);
        if (timeoutAt.value() == null) {
            // A notice before any result: the inactivity timer still bounds how long its state lives.
            rearmTimer(ctx, ctx.timerService().currentProcessingTime() + inactivityTimeoutMillis);
        }
    }

    /** Emits the job's one report, then swaps its results for the tombstone and the tombstone's expiry timer. */
    private void report(String jobId, int totalChunks, long now, Context ctx, Collector<TranslatedDocument> out)
            throws Exception {
        JobStatus status = new JobStatus();
        status.jobId = jobId;
        status.totalChunks = totalChunks;
        status.firstChunkSeenAt = Long.MAX_VALUE;
        List<ChunkFailure> failures = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < totalChunks; i++) {
            TranslatedChunk chunk = results.get(i);
            if (chunk == null) {
                missing.add(i);
                text.append(MissingChunkMarker.missing(i, totalChunks));
                continue;
            }
            status.add(chunk);
            addCost(status, chunk);
            if (chunk.succeeded()) {
                status.chunksSucceeded++;
                status.chunksFromCache += chunk.fromCache ? 1 : 0;
                text.append(chunk.documentPart());
            } else {
                failures.add(new ChunkFailure(i, chunk.failureReason));
                text.append(MissingChunkMarker.failed(chunk));
            }
        }
        status.failedChunks = failures.toArray(new ChunkFailure[0]);
        status.missingIndices = missing.stream().mapToInt(Integer::intValue).toArray();
        status.emittedAt = now;
        status.durationMillis = now - status.firstChunkSeenAt;
        Integer dropped = duplicatesDropped.value();
        status.callsSavedByDuplicates = dropped == null ? 0 : dropped;
        estimatedCostMicroUsd.inc(status.estimatedCostUsd.movePointRight(GeminiPrices.USD_SCALE).longValue());
        if (!missing.isEmpty()) {
            status.outcome = JobOutcome.INCOMPLETE;
            documentsIncomplete.inc();
            LOG.warn("Job {} ({}) incomplete: no progress for {} ms, {} of {} chunks missing, {} failed", jobId,
                    status.source, inactivityTimeoutMillis, missing.size(), totalChunks, failures.size());
            ctx.output(OutputTags.PARTIAL_DOCUMENTS, TranslatedDocument.of(status, text.toString()));
        } else if (!failures.isEmpty()) {
            status.outcome = JobOutcome.FAILED;
            documentsFailed.inc();
            LOG.warn("Job {} ({}) failed: {} of {} chunks failed, first: {}", jobId, status.source,
                    failures.size(), totalChunks, failures.get(0));
            ctx.output(OutputTags.PARTIAL_DOCUMENTS, TranslatedDocument.of(status, text.toString()));
        } else {
            status.outcome = JobOutcome.COMPLETE;
            documentsCompleted.inc();
            documentTranslationMillis.update(status.durationMillis);
            out.collect(TranslatedDocument.of(status, text.toString()));
            LOG.info("Job {} ({}) complete: {} chunks in {} ms", jobId, status.source, totalChunks,
                    status.durationMillis);
        }
        ctx.output(OutputTags.JOB_STATUS, status);

        results.clear();
        received.clear();
        duplicatesDropped.clear();
        reportedOutcome.update(status.outcome);
        reportedAt.update(now);
        rearmTimer(ctx, now + reportedRetentionMillis);
    }

    private void addCost(JobStatus status, TranslatedChunk chunk) {
        String model = chunk.model != null ? chunk.model : defaultModel;
        if (prices.hasPrice(model)) {
            status.estimatedCostUsd = status.estimatedCostUsd.add(
                    prices.costUsd(model, chunk.inputTokens, chunk.outputTokens));
        } else if (chunk.geminiCalls > 0) {
            status.unpricedChunks++;
        }
    }

    private void rearmTimer(Context ctx, long at) throws Exception {
        Long previous = timeoutAt.value();
        if (previous != null) {
            ctx.timerService().deleteProcessingTimeTimer(previous);
        }
        ctx.timerService().registerProcessingTimeTimer(at);
        timeoutAt.update(at);
    }

    private void clearAll(Context ctx) throws Exception {
        Long at = timeoutAt.value();
        if (at != null) {
            ctx.timerService().deleteProcessingTimeTimer(at);
        }
        results.clear();
        received.clear();
        timeoutAt.clear();
        reportedOutcome.clear();
        reportedAt.clear();
        duplicatesDropped.clear();
    }
}
