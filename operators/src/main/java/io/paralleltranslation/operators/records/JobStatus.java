package io.paralleltranslation.operators.records;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * One report per job (document), written as one JSON line under {@code <output>/_status/}
 * (see {@link JsonLines}). A Flink POJO: lists are arrays so Flink needs no Kryo.
 */
public class JobStatus extends JobTotals {
    public JobOutcome outcome;
    /** Chunks with a successful translation. */
    public int chunksSucceeded;
    /** Ascending chunk index. */
    public ChunkFailure[] failedChunks = new ChunkFailure[0];
    /** Ascending; empty unless the outcome is INCOMPLETE. */
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

    public JobStatus() {}

    @Override
    public String toString() {
        return "JobStatus{jobId=" + jobId + ", " + outcome + ", chunks=" + totalChunks + ", succeeded="
                + chunksSucceeded + ", failed=" + Arrays.toString(failedChunks) + ", missing="
                + Arrays.toString(missingIndices) + "}";
    }
}
