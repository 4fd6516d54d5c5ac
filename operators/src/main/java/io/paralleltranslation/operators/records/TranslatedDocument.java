package io.paralleltranslation.operators.records;

import java.nio.charset.StandardCharsets;

/**
 * A whole translated document, emitted once when every chunk succeeded. A Flink POJO.
 *
 * <p>{@link #text} is the chunks' translations in index order, each stripped of leading and
 * trailing line breaks and joined with one blank line ({@code "\n\n"}): the submit tool splits on
 * paragraph boundaries, so a blank line restores the paragraph break it cut. The file form
 * ({@link #fileContent()}) adds one final newline.
 */
public class TranslatedDocument {
    public static final String CHUNK_SEPARATOR = "\n\n";

    public String jobId;
    public String source;
    public String targetLanguage;
    public String text;
    public int totalChunks;
    public int geminiCalls;
    public int retries;
    public int count429;
    public long inputTokens;
    public long outputTokens;
    /** Epoch millis the first chunk reached the translate operator. */
    public long firstChunkSeenAt;
    /** Epoch millis (processing time) the document was emitted. */
    public long emittedAt;

    public TranslatedDocument() {}

    /** The bytes of the document's output file: the text in UTF-8 and a final newline. */
    public byte[] fileContent() {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TranslatedDocument{jobId=" + jobId + ", source=" + source + ", chunks=" + totalChunks
                + ", chars=" + (text == null ? 0 : text.length()) + "}";
    }
}
