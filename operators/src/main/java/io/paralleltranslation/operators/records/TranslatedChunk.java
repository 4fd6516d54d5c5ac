package io.paralleltranslation.operators.records;

/**
 * The result of translating one chunk, success or failure, with what it cost. A Flink POJO.
 * Exactly one of {@link #translatedText} (SUCCEEDED) and {@link #failureReason} (FAILED) is set.
 */
public class TranslatedChunk {
    public String jobId;
    public int chunkIndex;
    public int totalChunks;
    public String source;
    public String targetLanguage;
    public ChunkStatus status;
    public String translatedText;
    public String failureReason;
    /** Model calls made for this chunk (retries included). */
    public int geminiCalls;
    /** Times the chunk was re-tried after a 429 or a transient failure. */
    public int retries;
    /** 429 answers received for this chunk. */
    public int count429;
    /** Input tokens Gemini reported (0 where it reported none). */
    public long inputTokens;
    public long outputTokens;
    /** When the translate operator first saw the chunk, epoch millis. */
    public long firstSeenAt;

    public TranslatedChunk() {}

    public static TranslatedChunk of(ChunkRecord chunk, ChunkStatus status, String textOrReason, long firstSeenAt) {
        TranslatedChunk t = new TranslatedChunk();
        t.jobId = chunk.jobId;
        t.chunkIndex = chunk.chunkIndex;
        t.totalChunks = chunk.totalChunks;
        t.source = chunk.source;
        t.targetLanguage = chunk.targetLanguage;
        t.status = status;
        if (status == ChunkStatus.SUCCEEDED) {
            t.translatedText = textOrReason;
        } else {
            t.failureReason = textOrReason;
        }
        t.firstSeenAt = firstSeenAt;
        return t;
    }

    public boolean succeeded() {
        return status == ChunkStatus.SUCCEEDED;
    }

    @Override
    public String toString() {
        return "TranslatedChunk{jobId=" + jobId + ", chunk=" + chunkIndex + "/" + totalChunks + ", " + status
                + (failureReason == null ? "" : " (" + failureReason + ")") + ", calls=" + geminiCalls
                + ", retries=" + retries + ", 429s=" + count429 + "}";
    }
}
