package io.paralleltranslation.operators.records;


/**
 * A whole translated document, emitted once when every chunk succeeded. A Flink POJO.
 *
 * <p>{@link #text} is the chunks' translations in index order, each between its source chunk's
 * own leading and trailing whitespace ({@link TranslatedChunk#documentPart()}): the submit tool's
 * chunks concatenate back to the source exactly, so the translation keeps every paragraph break,
 * sentence gap and the final newline where the source had them. The file is the text, nothing added.
 */
public class TranslatedDocument extends JobTotals {
    public String text;

    public TranslatedDocument() {}

    /** A document with the identity and totals of its job's report. */
    public static TranslatedDocument of(JobTotals totals, String text) {
        TranslatedDocument d = new TranslatedDocument();
        d.copyTotals(totals);
        d.text = text;
        return d;
    }

    @Override
    public String toString() {
        return "TranslatedDocument{jobId=" + jobId + ", source=" + source + ", chunks=" + totalChunks
                + ", chars=" + (text == null ? 0 : text.length()) + "}";
    }
}
