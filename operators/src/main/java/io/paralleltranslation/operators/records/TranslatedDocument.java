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
public class TranslatedDocument extends JobTotals {
    public static final String CHUNK_SEPARATOR = "\n\n";

    public String text;

    public TranslatedDocument() {}

    /** A document with the identity and totals of its job's report. */
    public static TranslatedDocument of(JobTotals totals, String text) {
        TranslatedDocument d = new TranslatedDocument();
        d.copyTotals(totals);
        d.text = text;
        return d;
    }

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
