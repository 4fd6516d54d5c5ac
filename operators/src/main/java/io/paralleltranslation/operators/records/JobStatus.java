package io.paralleltranslation.operators.records;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A document's status record, written as one JSON line under {@code <output>/_status/} (see
 * {@link JsonLines}). {@link #outcome} says which kind: ACCEPTED, PROGRESS and
 * WAITING_FOR_DAILY_QUOTA while the document is open, then one final COMPLETE, FAILED or
 * INCOMPLETE ({@link JobOutcome#isFinal()}). A Flink POJO: lists are arrays so Flink needs no Kryo.
 */
public class JobStatus extends JobTotals {
    public JobOutcome outcome;
    /** Chunks with a successful translation. */
    public int chunksSucceeded;
    /** Ascending chunk index. */
    public ChunkFailure[] failedChunks = new ChunkFailure[0];
    /** Ascending; in a final record, the indices without a result (INCOMPLETE only). */
    public int[] missingIndices = new int[0];
    /** Successful chunks whose translation came from the translation cache (no call paid for them now). */
    public int chunksFromCache;
    /** {@code emittedAt - firstChunkSeenAt}. */
    public long durationMillis;
    /**
     * Where the translated document is, e.g. {@code s3://bucket/out/<jobId>/report.de.md}; set
     * (by the job's output stage) only on COMPLETE, whose status becomes visible after the file.
     */
    public String outputPath;
    /**
     * What the job's Gemini calls cost in USD (micro-dollar precision): each chunk's tokens times
     * its model's price in {@code gemini.prices}. An estimate at list prices, not a bill.
     */
    public BigDecimal estimatedCostUsd = BigDecimal.ZERO;
    /** Chunks whose model has no price in {@code gemini.prices}: their tokens are not in the estimate. */
    public int unpricedChunks;
    /** Duplicate chunk records dropped before translation: model calls the job did not pay for. */
    public int callsSavedByDuplicates;
    /** Chunks with a result (succeeded or failed) so far. */
    public int chunksWithResult;
    /** Chunks accepted by the dedup step that have no result yet: queued for quota or being translated. */
    public int chunksInTranslation;
    /** Input tokens the accepted chunks are estimated to take from the quota. */
    public long estimatedInputTokens;
    /** Estimated epoch millis the document completes (0: unknown, or final). */
    public long etaAt;
    /** WAITING_FOR_DAILY_QUOTA: epoch millis the daily quota resets and work resumes; else 0. */
    public long resumesAt;
    /** How many times a late result reopened the document after a final record. */
    public int reopened;
    /** Why the record was emitted, in words (e.g. why a document is INCOMPLETE). */
    public String reason;

    public JobStatus() {}

    @Override
    public String toString() {
        return "JobStatus{jobId=" + jobId + ", " + outcome + ", chunks=" + totalChunks + ", succeeded="
                + chunksSucceeded + ", failed=" + Arrays.toString(failedChunks) + ", missing="
                + Arrays.toString(missingIndices) + ", inTranslation=" + chunksInTranslation
                + (reason == null ? "" : ", reason=" + reason) + "}";
    }
}
