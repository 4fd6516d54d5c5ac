package io.paralleltranslation.operators.testing;

import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkStatus;
import io.paralleltranslation.operators.records.TranslatedChunk;

/** Test records. */
public final class Chunks {
    private Chunks() {}

    public static ChunkRecord chunk(String jobId, int index, int total) {
        ChunkRecord c = new ChunkRecord();
        c.jobId = jobId;
        c.chunkIndex = index;
        c.totalChunks = total;
        c.text = "Text of chunk " + index + ".";
        c.previousContext = index == 0 ? "" : "Text of chunk " + (index - 1) + ".";
        c.sourceLanguage = "en";
        c.targetLanguage = "de";
        c.source = "doc-" + jobId + ".md";
        c.submittedAt = "2026-12-01T10:00:00Z";
        return c;
    }

    public static TranslatedChunk succeeded(String jobId, int index, int total, String text, long firstSeenAt) {
        TranslatedChunk t = TranslatedChunk.of(chunk(jobId, index, total), ChunkStatus.SUCCEEDED, text, firstSeenAt);
        t.geminiCalls = 1;
        t.inputTokens = 100;
        t.outputTokens = 120;
        return t;
    }

    /** A success whose source chunk read {@code sourceText} (its edge whitespace is what reassembly keeps). */
    public static TranslatedChunk succeeded(String jobId, int index, int total, String sourceText, String text,
            long firstSeenAt) {
        ChunkRecord source = chunk(jobId, index, total);
        source.text = sourceText;
        TranslatedChunk t = TranslatedChunk.of(source, ChunkStatus.SUCCEEDED, text, firstSeenAt);
        t.geminiCalls = 1;
        t.inputTokens = 100;
        t.outputTokens = 120;
        return t;
    }

    public static TranslatedChunk failed(String jobId, int index, int total, String reason, long firstSeenAt) {
        TranslatedChunk t = TranslatedChunk.of(chunk(jobId, index, total), ChunkStatus.FAILED, reason, firstSeenAt);
        t.geminiCalls = 1;
        return t;
    }
}
