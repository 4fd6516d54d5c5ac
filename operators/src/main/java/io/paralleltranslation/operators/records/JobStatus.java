package io.paralleltranslation.operators.records;

import java.util.Arrays;

/**
 * One report per job (document), written as one JSON line under {@code <output>/_status/}
 * (see {@link JsonLines}). A Flink POJO: lists are arrays so Flink needs no Kryo.
 */
public class JobStatus {
    public String jobId;
    public String source;
    public String targetLanguage;
    public JobOutcome outcome;
    public int totalChunks;
    /** Chunks with a successful translation. */
    public int chunksSucceeded;
    /** Ascending chunk index. */
    public ChunkFailure[] failedChunks = new ChunkFailure[0];
    /** Ascending; empty unless the outcome is INCOMPLETE. */
    public int[] missingIndices = new int[0];
    public int geminiCalls;
    public int retries;
    public int count429;
    public long inputTokens;
    public long outputTokens;
    /** Epoch millis the first chunk reached the translate operator. */
    public long firstChunkSeenAt;
    /** Epoch millis (processing time) this report was emitted. */
    public long emittedAt;
    /** {@code emittedAt - firstChunkSeenAt}. */
    public long durationMillis;

    public JobStatus() {}

    @Override
    public String toString() {
        return "JobStatus{jobId=" + jobId + ", " + outcome + ", chunks=" + totalChunks + ", succeeded="
                + chunksSucceeded + ", failed=" + Arrays.toString(failedChunks) + ", missing="
                + Arrays.toString(missingIndices) + "}";
    }
}
