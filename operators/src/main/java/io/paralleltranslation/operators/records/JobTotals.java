package io.paralleltranslation.operators.records;

/**
 * What a job's status report and its document share: the job's identity and what it cost. A Flink
 * POJO base class (Flink and Jackson both include its public fields in the subclasses).
 */
public class JobTotals {
    public String jobId;
    public String source;
    public String targetLanguage;
    public int totalChunks;
    /** Model calls for the job's chunks, retries included. */
    public int geminiCalls;
    public int retries;
    public int count429;
    public long inputTokens;
    public long outputTokens;
    /** Epoch millis the first chunk reached the translate operator. */
    public long firstChunkSeenAt;
    /** Epoch millis (processing time) the record was emitted. */
    public long emittedAt;

    public JobTotals() {}

    /** Adds one chunk's identity and cost; start {@link #firstChunkSeenAt} at {@code Long.MAX_VALUE}. */
    public void add(TranslatedChunk chunk) {
        source = chunk.source;
        targetLanguage = chunk.targetLanguage;
        geminiCalls += chunk.geminiCalls;
        retries += chunk.retries;
        count429 += chunk.count429;
        inputTokens += chunk.inputTokens;
        outputTokens += chunk.outputTokens;
        firstChunkSeenAt = Math.min(firstChunkSeenAt, chunk.firstSeenAt);
    }

    protected void copyTotals(JobTotals other) {
        jobId = other.jobId;
        source = other.source;
        targetLanguage = other.targetLanguage;
        totalChunks = other.totalChunks;
        geminiCalls = other.geminiCalls;
        retries = other.retries;
        count429 = other.count429;
        inputTokens = other.inputTokens;
        outputTokens = other.outputTokens;
        firstChunkSeenAt = other.firstChunkSeenAt;
        emittedAt = other.emittedAt;
    }
}
