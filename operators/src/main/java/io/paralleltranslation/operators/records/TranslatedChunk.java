package io.paralleltranslation.operators.records;

/**
 * The result of translating one chunk, success or failure, with what it cost. A Flink POJO.
 * Exactly one of {@link #translatedText} (SUCCEEDED) and {@link #failureReason} (FAILED) is set.
 * With status {@link ChunkStatus#ACCEPTED} it is the dedup step's notice that the chunk went to
 * translation ({@link #accepted}); a dead letter that names its chunk becomes a FAILED result
 * ({@link #ofDeadLetter}).
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
    /** The translation came from the translation cache: no quota taken, no model call made now. */
    public boolean fromCache;
    /** When the translate operator first saw the chunk, epoch millis. */
    public long firstSeenAt;
    /**
     * The whitespace the source chunk starts and ends with. The submit tool's chunks concatenate
     * back to the document exactly, each keeping the whitespace after it (a blank line after a
     * paragraph, a space after a sentence cut mid-paragraph); a model's answer does not keep it
     * reliably, so reassembly puts the source's own edges around the trimmed translation.
     */
    public String leadingWhitespace = "";
    public String trailingWhitespace = "";
    /** The chunk record's model; null: the job's default model. */
    public String model;
    /**
     * True on a notice from the dedup step instead of a result: a duplicate record of this chunk
     * was dropped before it cost a model call. It has no status, text or counts.
     */
    public boolean droppedDuplicate;
    /** ACCEPTED only: the input tokens the chunk is estimated to take from the quota. */
    public long estimatedInputTokens;

    public TranslatedChunk() {}

    /** The notice that {@code chunk} passed dedup at {@code acceptedAt} and goes to translation. */
    public static TranslatedChunk accepted(ChunkRecord chunk, long acceptedAt, long estimatedInputTokens) {
        TranslatedChunk t = new TranslatedChunk();
        t.jobId = chunk.jobId;
        t.chunkIndex = chunk.chunkIndex;
        t.totalChunks = chunk.totalChunks;
        t.source = chunk.source;
        t.targetLanguage = chunk.targetLanguage;
        t.status = ChunkStatus.ACCEPTED;
        t.firstSeenAt = acceptedAt;
        t.estimatedInputTokens = estimatedInputTokens;
        return t;
    }

    /**
     * A FAILED result for the chunk a dead letter names ({@code jobId} and {@code chunkIndex} set).
     * Its {@code totalChunks} is 0 (unknown): a refused record's own count cannot be trusted.
     */
    public static TranslatedChunk ofDeadLetter(DeadLetter deadLetter) {
        TranslatedChunk t = new TranslatedChunk();
        t.jobId = deadLetter.jobId;
        t.chunkIndex = deadLetter.chunkIndex;
        t.status = ChunkStatus.FAILED;
        t.failureReason = "dead-lettered by " + deadLetter.stage + ": " + deadLetter.reason;
        t.firstSeenAt = deadLetter.detectedAt;
        return t;
    }

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
        t.model = chunk.model;
        String text = chunk.text == null ? "" : chunk.text;
        String body = text.strip();
        if (body.isEmpty()) {
            t.leadingWhitespace = text;
        } else {
            t.leadingWhitespace = text.substring(0, text.indexOf(body));
            t.trailingWhitespace = text.substring(t.leadingWhitespace.length() + body.length());
        }
        return t;
    }

    /** The notice that a duplicate record of {@code chunk} was dropped (see {@link #droppedDuplicate}). */
    public static TranslatedChunk droppedDuplicateOf(ChunkRecord chunk) {
        TranslatedChunk t = new TranslatedChunk();
        t.jobId = chunk.jobId;
        t.chunkIndex = chunk.chunkIndex;
        t.totalChunks = chunk.totalChunks;
        t.source = chunk.source;
        t.targetLanguage = chunk.targetLanguage;
        t.model = chunk.model;
        t.droppedDuplicate = true;
        return t;
    }

    /**
     * This chunk's part of the document: the translation without its edge whitespace, between the
     * source chunk's own leading and trailing whitespace.
     */
    public String documentPart() {
        return leadingWhitespace + translatedText.strip() + trailingWhitespace;
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
