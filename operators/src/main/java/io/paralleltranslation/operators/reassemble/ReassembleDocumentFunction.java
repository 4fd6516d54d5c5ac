package io.paralleltranslation.operators.reassemble;

import io.paralleltranslation.operators.StateLifetimes;
import io.paralleltranslation.operators.cost.GeminiPrices;
import io.paralleltranslation.operators.gemini.GeminiClientSettings;
import io.paralleltranslation.operators.metrics.MetricNames;
import io.paralleltranslation.operators.metrics.OperatorMetrics;
import io.paralleltranslation.operators.records.ChunkFailure;
import io.paralleltranslation.operators.records.ChunkStatus;
import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.OutputTags;
import io.paralleltranslation.operators.records.TranslatedChunk;
import io.paralleltranslation.operators.records.TranslatedDocument;
import io.paralleltranslation.operators.translate.QuotaLimiterFactory;
import io.paralleltranslation.ratelimit.QuotaLimiter;
import io.paralleltranslation.ratelimit.QuotaOutlook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 4, keyed by jobId: follows each document from its first accepted chunk to its one final
 * report, emits the document exactly once, and keeps status records flowing while it waits.
 *
 * <p>Its input is the union of three streams: ACCEPTED notices from the dedup step (one per chunk
 * that goes to translation), the translate step's results (exactly one per accepted chunk), and
 * FAILED results made from dead letters that name their chunk. So the function always knows how
 * many of a document's chunks are <em>in translation</em> (accepted, no result yet): waiting in the
 * async queue for quota, parked for the daily quota, or being translated. Waiting is never a failure:
 * <ul>
 *   <li>every index {@code 0..totalChunks-1} succeeded: ONE {@link TranslatedDocument} and a
 *       COMPLETE status, at once;</li>
 *   <li>every index has a result but some failed (or were dead-lettered): a FAILED status at once;</li>
 *   <li>chunks never put: a timer that only runs while <em>nothing</em> of the document is in
 *       translation and nothing of it arrives ({@code inactivityTimeout}) reports INCOMPLETE with the
 *       missing indices. A backlog or a quota wait keeps chunks in translation, so it cannot trip it;</li>
 *   <li>the backstop: no result and no accepted chunk for {@code backstop} while chunks are in
 *       translation (which the translate step's exactly-one-result rule should make impossible)
 *       reports INCOMPLETE, naming the chunks still in translation.</li>
 * </ul>
 * <b>Restarts do not count.</b> Timers restored from a checkpoint would fire at once for time the
 * job was down; a timer armed before this run started counts its document's idle time only from
 * the start of this run, so a restore restarts the countdowns instead of ending them.
 *
 * <p><b>Reopen, not drop.</b> After a FAILED or INCOMPLETE report the results are kept for
 * {@code reportedRetention}; a result that arrives then (a success for a failed index, a chunk put
 * late) reopens the document, which later gets a new final report (COMPLETE with the document, or
 * FAILED/INCOMPLETE again), its {@code reopened} count raised. After COMPLETE only a tombstone is
 * kept: a further result can only be a replay of a translated chunk, counted in
 * {@link MetricNames#LATE_RESULTS_DROPPED} and logged. When the retention ends nothing of the document is
 * left, state or timer.
 *
 * <p>Status records (side output {@link OutputTags#JOB_STATUS}): ACCEPTED at the first chunk,
 * PROGRESS when results came in, at most once a minute, WAITING_FOR_DAILY_QUOTA once per day's wait
 * while the day's request quota is spent and chunks are in translation, and the final record. ETAs
 * and the daily-quota check come from the quota's {@link QuotaOutlook} (read, never taken), refreshed
 * at most every {@link #OUTLOOK_REFRESH} without blocking.
 *
 * <p>A FAILED or INCOMPLETE report also emits the partial document on
 * {@link OutputTags#PARTIAL_DOCUMENTS}: what was translated, with a {@link MissingChunkMarker} for
 * each chunk it lacks. The final status carries the document's estimated Gemini cost (each kept
 * result's tokens at its model's price), the chunks served by the translation cache, and the
 * notices of dropped duplicates ({@link TranslatedChunk#droppedDuplicate}) counted before the report;
 * a notice never reopens a document.
 */
public class ReassembleDocumentFunction extends KeyedProcessFunction<String, TranslatedChunk, TranslatedDocument>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReassembleDocumentFunction.class);
    /** PROGRESS records are at least this far apart, and open documents check the daily quota this often. */
    public static final Duration STATUS_INTERVAL = Duration.ofMinutes(1);
    static final Duration OUTLOOK_REFRESH = Duration.ofSeconds(20);

    private final long inactivityTimeoutMillis;
    private final long backstopMillis;
    private final long reportedRetentionMillis;
    /** Null: no ETAs and no daily-quota status. */
    private final QuotaLimiterFactory quota;
    private final GeminiPrices prices;
    private final String defaultModel;

    private transient MapState<Integer, TranslatedChunk> results;
    /** Indices accepted by dedup without a result yet, to the time they were accepted. */
    private transient MapState<Integer, Long> inTranslation;
    private transient ValueState<DocumentProgress> progress;
    private transient ListState<Long> backlogState;
    private transient long backlog;
    /** Processing time of the first call in this run: timers armed before it come from a checkpoint. */
    private transient long runStartedAt;
    private transient QuotaLimiter limiter;
    private transient volatile QuotaOutlook outlook;
    private transient volatile long outlookRequestedAt;
    private transient Counter documentsCompleted;
    private transient Counter documentsFailed;
    private transient Counter documentsIncomplete;
    private transient Counter documentsReopened;
    private transient Counter duplicateResultsIgnored;
    private transient Counter lateResultsDropped;
    private transient Histogram documentTranslationMillis;
    private transient Counter estimatedCostMicroUsd;

    public ReassembleDocumentFunction() {
        this(StateLifetimes.INACTIVITY_TIMEOUT, StateLifetimes.BACKSTOP, StateLifetimes.RETENTION, null);
    }

    /** Default prices and model. */
    public ReassembleDocumentFunction(Duration inactivityTimeout, Duration backstop, Duration reportedRetention,
            QuotaLimiterFactory quota) {
        this(inactivityTimeout, backstop, reportedRetention, quota, GeminiPrices.defaults(),
                GeminiClientSettings.builder().build().defaultModel());
    }

    /**
     * @param inactivityTimeout how long nothing of a document may be in translation, with chunks
     *     missing, before it is reported incomplete (they were never put)
     * @param backstop how long a document with chunks in translation may go without any result
     * @param reportedRetention how long a reported document's results (or tombstone) are kept
     * @param quota where ETAs and the daily quota's state are read from; null for neither
     * @param prices what Gemini tokens cost, per model
     * @param defaultModel the model of a chunk whose record names none
     */
    public ReassembleDocumentFunction(Duration inactivityTimeout, Duration backstop, Duration reportedRetention,
            QuotaLimiterFactory quota, GeminiPrices prices, String defaultModel) {
        this.inactivityTimeoutMillis = positiveMillis("inactivityTimeout", inactivityTimeout);
        this.backstopMillis = positiveMillis("backstop", backstop);
        this.reportedRetentionMillis = positiveMillis("reportedRetention", reportedRetention);
        this.quota = quota;
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
    public void initializeState(FunctionInitializationContext context) throws Exception {
        backlogState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("chunksInTranslationBacklog", Types.LONG));
        backlog = 0;
        for (Long part : backlogState.get()) {
            backlog += part;
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        backlogState.update(List.of(backlog));
    }

    @Override
    public void open(OpenContext openContext) {
        results = getRuntimeContext().getMapState(new MapStateDescriptor<>("chunkResults", Types.INT,
                TypeInformation.of(TranslatedChunk.class)));
        inTranslation = getRuntimeContext().getMapState(new MapStateDescriptor<>("chunksInTranslation", Types.INT,
                Types.LONG));
        progress = getRuntimeContext().getState(new ValueStateDescriptor<>("document",
                TypeInformation.of(DocumentProgress.class)));
        runStartedAt = -1;
        outlookRequestedAt = Long.MIN_VALUE / 2;
        limiter = quota == null ? null : quota.create();
        MetricGroup metrics = OperatorMetrics.group(getRuntimeContext().getMetricGroup());
        documentsCompleted = metrics.counter(MetricNames.DOCUMENTS_COMPLETED);
        documentsFailed = metrics.counter(MetricNames.DOCUMENTS_FAILED);
        documentsIncomplete = metrics.counter(MetricNames.DOCUMENTS_INCOMPLETE);
        documentsReopened = metrics.counter(MetricNames.DOCUMENTS_REOPENED);
        duplicateResultsIgnored = metrics.counter(MetricNames.DUPLICATE_RESULTS_IGNORED);
        lateResultsDropped = metrics.counter(MetricNames.LATE_RESULTS_DROPPED);
        documentTranslationMillis = OperatorMetrics.histogramWithPercentiles(metrics,
                MetricNames.DOCUMENT_TRANSLATION_MILLIS);
        estimatedCostMicroUsd = metrics.counter(MetricNames.ESTIMATED_COST_MICRO_USD);
        metrics.gauge(MetricNames.BACKLOG_CHUNKS, (Gauge<Long>) () -> backlog);
        metrics.gauge(MetricNames.REQUESTS_LEFT_TODAY, (Gauge<Long>) () -> {
            QuotaOutlook o = outlook;
            return o == null ? -1L : o.requestsLeftToday();
        });
    }

    @Override
    public void close() {
        if (limiter != null) {
            limiter.close();
        }
    }

    @Override
    public void processElement(TranslatedChunk chunk, Context ctx, Collector<TranslatedDocument> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        startRun(now);
        DocumentProgress p = progress.value();
        if (p == null) {
            p = new DocumentProgress();
            p.firstSeenAt = now;
            p.idleSince = now;
        }
        if (chunk.droppedDuplicate) {
            // A call not paid for, counted for the report; it is no result, so it never reopens a
            // document. It may come before its document's first ACCEPTED notice (another input).
            if (!p.reported()) {
                p.duplicatesDropped++;
                arm(ctx, p, now);
                progress.update(p);
            }
            return;
        }
        if (p.reportedOutcome == JobOutcome.COMPLETE) {
            lateResultsDropped.inc();
            LOG.warn("Ignored {} of chunk {} of document {}: the document was written at {} (epoch ms)", chunk.status,
                    chunk.chunkIndex, chunk.jobId, p.reportedAt);
            return;
        }
        if (p.totalChunks == 0 && chunk.totalChunks > 0) {
            p.totalChunks = chunk.totalChunks;
            p.withResult = countResultsInRange(p.totalChunks);
        }
        if (chunk.source != null) {
            p.source = chunk.source;
            p.targetLanguage = chunk.targetLanguage;
        }
        boolean changed = chunk.status == ChunkStatus.ACCEPTED ? accept(chunk, p, now) : addResult(chunk, p);
        if (!changed) {
            progress.update(p);
            return;
        }
        if (p.reported()) {
            reopen(p, chunk);
        }
        p.lastActivityAt = now;
        if (p.inTranslation == 0) {
            p.idleSince = now;
        }
        if (p.allResultsIn()) {
            report(ctx, out, p, now, null);
            return;
        }
        if (!p.announced) {
            p.announced = true;
            requestOutlook(now);
            emitStatus(ctx, p, JobOutcome.ACCEPTED, now, null);
        } else if (chunk.status != ChunkStatus.ACCEPTED) {
            maybeStatus(ctx, p, now);
        }
        arm(ctx, p, now);
        progress.update(p);
    }

    /** @return whether the notice was new (not a replay of an index already accepted or resulted) */
    private boolean accept(TranslatedChunk notice, DocumentProgress p, long now) throws Exception {
        if (inTranslation.contains(notice.chunkIndex) || results.contains(notice.chunkIndex)) {
            return false;
        }
        inTranslation.put(notice.chunkIndex, now);
        changeInTranslation(p, 1);
        p.acceptedChunks++;
        p.estimatedInputTokens += notice.estimatedInputTokens;
        return true;
    }

    /** @return whether the result was kept (a first result, or a success replacing a failure) */
    private boolean addResult(TranslatedChunk chunk, DocumentProgress p) throws Exception {
        TranslatedChunk existing = results.get(chunk.chunkIndex);
        // A dead letter (totalChunks 0) for an index dedup already accepted, e.g. a retried put with a
        // different totalChunks: the accepted chunk will get its own result, which is the one that counts.
        boolean deadLetterForAcceptedIndex = chunk.totalChunks == 0 && inTranslation.contains(chunk.chunkIndex);
        if (deadLetterForAcceptedIndex || existing != null && (existing.succeeded() || !chunk.succeeded())) {
            duplicateResultsIgnored.inc();
            LOG.debug("Ignored a second result for chunk {} of document {}", chunk.chunkIndex, chunk.jobId);
            return false;
        }
        results.put(chunk.chunkIndex, chunk);
        if (inTranslation.contains(chunk.chunkIndex)) {
            inTranslation.remove(chunk.chunkIndex);
            changeInTranslation(p, -1);
        }
        if (existing == null && inRange(chunk.chunkIndex, p.totalChunks)) {
            p.withResult++;
        }
        return true;
    }

    private void reopen(DocumentProgress p, TranslatedChunk chunk) {
        LOG.info("Document {} reopened by {} of chunk {} after its {} report at {} (epoch ms)", chunk.jobId,
                chunk.status, chunk.chunkIndex, p.reportedOutcome, p.reportedAt);
        documentsReopened.inc();
        p.reopened++;
        p.reportedOutcome = null;
        p.reportedAt = 0;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TranslatedDocument> out) throws Exception {
        long now = timestamp;
        startRun(ctx.timerService().currentProcessingTime());
        DocumentProgress p = progress.value();
        if (p == null || timestamp != p.timerAt) {
            return;
        }
        p.timerAt = 0;
        if (p.reported()) {
            clearAll(ctx, p);
            return;
        }
        if (p.timerArmedAt < runStartedAt) {
            // Restored from a checkpoint: the time the job was down is nobody's inactivity.
            p.idleSince = Math.max(p.idleSince, runStartedAt);
            p.lastActivityAt = Math.max(p.lastActivityAt, runStartedAt);
        }
        if (p.acceptedChunks == 0 && results.isEmpty()) {
            // Only notices of dropped duplicates, no chunk of the document: nothing to report.
            clearAll(ctx, p);
            return;
        }
        if (p.inTranslation == 0 && now >= p.idleSince + inactivityTimeoutMillis) {
            report(ctx, out, p, now, "nothing of the document was in translation for "
                    + Duration.ofMillis(inactivityTimeoutMillis) + ": the missing chunks never reached the job");
            return;
        }
        if (p.inTranslation > 0 && now >= p.lastActivityAt + backstopMillis) {
            report(ctx, out, p, now, "no result for " + Duration.ofMillis(backstopMillis) + " while "
                    + p.inTranslation + " chunks were in translation (translate.document-backstop)");
            return;
        }
        maybeStatus(ctx, p, now);
        arm(ctx, p, now);
        progress.update(p);
    }

    private void startRun(long now) {
        if (runStartedAt < 0) {
            runStartedAt = now;
        }
    }

    /**
     * The key's one timer: the tombstone's expiry after a report; else the never-put check (nothing
     * in translation) or the backstop, and a status tick while chunks wait and the quota is watched.
     */
    private void arm(Context ctx, DocumentProgress p, long now) throws Exception {
        long at;
        if (p.reported()) {
            at = p.reportedAt + reportedRetentionMillis;
        } else if (p.inTranslation == 0) {
            at = p.idleSince + inactivityTimeoutMillis;
        } else {
            at = p.lastActivityAt + backstopMillis;
            if (limiter != null) {
                at = Math.min(at, now + STATUS_INTERVAL.toMillis());
            }
        }
        if (at == p.timerAt) {
            return;
        }
        if (p.timerAt != 0) {
            ctx.timerService().deleteProcessingTimeTimer(p.timerAt);
        }
        ctx.timerService().registerProcessingTimeTimer(at);
        p.timerAt = at;
        p.timerArmedAt = now;
    }

    /** WAITING_FOR_DAILY_QUOTA once per wait, else PROGRESS if results came since the last record, a minute apart. */
    private void maybeStatus(Context ctx, DocumentProgress p, long now) {
        requestOutlook(now);
        QuotaOutlook o = outlook;
        if (o != null && p.inTranslation > 0 && o.requestsLeftToday() == 0
                && p.announcedResumesAt != o.dayEndsAt().toEpochMilli()) {
            p.announcedResumesAt = o.dayEndsAt().toEpochMilli();
            emitStatus(ctx, p, JobOutcome.WAITING_FOR_DAILY_QUOTA, now, "the day's request quota is spent; "
                    + p.inTranslation + " chunks wait for its reset at " + o.dayEndsAt());
        } else if (now - p.lastStatusAt >= STATUS_INTERVAL.toMillis() && p.withResult > p.statusWithResult) {
            emitStatus(ctx, p, JobOutcome.PROGRESS, now, null);
        }
    }

    private void emitStatus(Context ctx, DocumentProgress p, JobOutcome kind, long now, String reason) {
        JobStatus status = new JobStatus();
        status.jobId = ctx.getCurrentKey();
        status.outcome = kind;
        status.reason = reason;
        fillProgress(status, p, now);
        QuotaOutlook o = outlook;
        if (kind == JobOutcome.WAITING_FOR_DAILY_QUOTA && o != null) {
            status.resumesAt = o.dayEndsAt().toEpochMilli();
        }
        status.etaAt = eta(p, now);
        p.lastStatusAt = now;
        p.statusWithResult = p.withResult;
        ctx.output(OutputTags.JOB_STATUS, status);
    }

    private static void fillProgress(JobStatus status, DocumentProgress p, long now) {
        status.source = p.source;
        status.targetLanguage = p.targetLanguage;
        status.totalChunks = p.totalChunks;
        status.chunksWithResult = p.withResult;
        status.chunksInTranslation = p.inTranslation;
        // Extrapolated from the chunks seen so far to the whole document.
        status.estimatedInputTokens = p.acceptedChunks == 0 ? 0
                : p.estimatedInputTokens * Math.max(p.totalChunks, p.acceptedChunks) / p.acceptedChunks;
        status.reopened = p.reopened;
        status.firstChunkSeenAt = p.firstSeenAt;
        status.emittedAt = now;
        status.durationMillis = now - p.firstSeenAt;
    }

    /**
     * When the document's remaining chunks, behind this subtask's backlog of other documents'
     * chunks, can have been granted at the quota's pace (0 when the outlook is unknown).
     */
    private long eta(DocumentProgress p, long now) {
        QuotaOutlook o = outlook;
        if (o == null || p.totalChunks == 0) {
            return 0;
        }
        long remaining = Math.max(0, p.totalChunks - p.withResult);
        long ahead = Math.max(0, backlog - p.inTranslation);
        long tokensPerChunk = p.acceptedChunks == 0 ? 0 : p.estimatedInputTokens / p.acceptedChunks;
        return o.finishEstimate(Instant.ofEpochMilli(now), remaining + ahead, tokensPerChunk).toEpochMilli();
    }

    /** Refreshes the cached outlook in the background; never waits for it. */
    private void requestOutlook(long now) {
        if (limiter == null || now - outlookRequestedAt < OUTLOOK_REFRESH.toMillis()) {
            return;
        }
        outlookRequestedAt = now;
        limiter.outlook().whenComplete((o, error) -> {
            if (error != null) {
                LOG.debug("No quota outlook: {}", error.toString());
            } else {
                outlook = o;
            }
        });
    }

    /** The document's final report; after it, the results (or, after COMPLETE, only a tombstone) are kept for the retention. */
    private void report(Context ctx, Collector<TranslatedDocument> out, DocumentProgress p, long now, String reason)
            throws Exception {
        String jobId = ctx.getCurrentKey();
        JobStatus status = new JobStatus();
        status.jobId = jobId;
        status.reason = reason;
        status.firstChunkSeenAt = Long.MAX_VALUE;
        List<ChunkFailure> failures = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < p.totalChunks; i++) {
            TranslatedChunk chunk = results.get(i);
            if (chunk == null) {
                missing.add(i);
                text.append(MissingChunkMarker.missing(i, p.totalChunks));
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
        for (Map.Entry<Integer, TranslatedChunk> e : results.entries()) {
            if (!inRange(e.getKey(), p.totalChunks) && !e.getValue().succeeded()) {
                failures.add(new ChunkFailure(e.getKey(), e.getValue().failureReason));
            }
        }
        long firstResultSeenAt = status.firstChunkSeenAt;
        fillProgress(status, p, now);
        status.firstChunkSeenAt = Math.min(p.firstSeenAt, firstResultSeenAt);
        status.durationMillis = now - status.firstChunkSeenAt;
        status.failedChunks = failures.toArray(new ChunkFailure[0]);
        status.missingIndices = missing.stream().mapToInt(Integer::intValue).toArray();
        status.callsSavedByDuplicates = p.duplicatesDropped;
        // A reopened document is reported again: the running total only gets what it did not count yet.
        long costMicroUsd = status.estimatedCostUsd.movePointRight(GeminiPrices.USD_SCALE).longValue();
        estimatedCostMicroUsd.inc(Math.max(0, costMicroUsd - p.costCountedMicroUsd));
        p.costCountedMicroUsd = Math.max(p.costCountedMicroUsd, costMicroUsd);
        if (p.totalChunks == 0 && !failures.isEmpty()) {
            status.outcome = JobOutcome.FAILED;
        } else if (!missing.isEmpty() || p.totalChunks == 0) {
            status.outcome = JobOutcome.INCOMPLETE;
        } else if (!failures.isEmpty()) {
            status.outcome = JobOutcome.FAILED;
        } else {
            status.outcome = JobOutcome.COMPLETE;
        }
        switch (status.outcome) {
            case INCOMPLETE:
                documentsIncomplete.inc();
                LOG.warn("Document {} ({}) incomplete: {} of {} chunks without a result ({} in translation), {} failed: {}",
                        jobId, status.source, missing.size(), p.totalChunks, p.inTranslation, failures.size(), reason);
                ctx.output(OutputTags.PARTIAL_DOCUMENTS, TranslatedDocument.of(status, text.toString()));
                break;
            case FAILED:
                documentsFailed.inc();
                LOG.warn("Document {} ({}) failed: {} of {} chunks failed, first: {}", jobId, status.source,
                        failures.size(), p.totalChunks, failures.get(0));
                ctx.output(OutputTags.PARTIAL_DOCUMENTS, TranslatedDocument.of(status, text.toString()));
                break;
            default:
                documentsCompleted.inc();
                documentTranslationMillis.update(status.durationMillis);
                out.collect(TranslatedDocument.of(status, text.toString()));
                LOG.info("Document {} ({}) complete: {} chunks in {} ms", jobId, status.source, p.totalChunks,
                        status.durationMillis);
        }
        ctx.output(OutputTags.JOB_STATUS, status);

        if (status.outcome == JobOutcome.COMPLETE) {
            results.clear();
        }
        // Chunks still in translation at a backstop report are given up on; a late result reopens the document.
        changeInTranslation(p, -p.inTranslation);
        inTranslation.clear();
        p.reportedOutcome = status.outcome;
        p.reportedAt = now;
        arm(ctx, p, now);
        progress.update(p);
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

    private void changeInTranslation(DocumentProgress p, int delta) {
        p.inTranslation += delta;
        backlog += delta;
    }

    private int countResultsInRange(int totalChunks) throws Exception {
        int n = 0;
        for (Iterator<Integer> it = results.keys().iterator(); it.hasNext(); ) {
            if (inRange(it.next(), totalChunks)) {
                n++;
            }
        }
        return n;
    }

    private static boolean inRange(int index, int totalChunks) {
        return index >= 0 && index < totalChunks;
    }

    private void clearAll(Context ctx, DocumentProgress p) throws Exception {
        if (p.timerAt != 0) {
            ctx.timerService().deleteProcessingTimeTimer(p.timerAt);
        }
        changeInTranslation(p, -p.inTranslation);
        results.clear();
        inTranslation.clear();
        progress.clear();
    }
}
