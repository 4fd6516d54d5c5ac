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
    /** {@code emittedAt - firstChunkSeenAt}. */
    public long durationMillis;
    /**
     * What the job's Gemini calls cost in USD (micro-dollar precision): each chunk's tokens times
     * its model's price in {@code gemini.prices}. An estimate at list prices, not a bill.
     */
    public BigDecimal estimatedCostUsd = BigDecimal.ZERO;
    /** Chunks whose model has no price in {@code gemini.prices}: their tokens are not in the estimate. */
    public int unpricedChunks;
    /** Duplicate chunk records dropped before translation: model calls the job did not pay for. */
    public int callsSavedByDuplicates;
    /** Chunks answered from a translation cache instead of a model call; 0 while the job has no cache. */
    public int callsSavedByCache;

    public JobStatus() {}

    @Override
    public String toString() {
        return "JobStatus{jobId=" + jobId + ", " + outcome + ", chunks=" + totalChunks + ", succeeded="
                + chunksSucceeded + ", failed=" + Arrays.toString(failedChunks) + ", missing="
                + Arrays.toString(missingIndices) + "}";
    }
}
