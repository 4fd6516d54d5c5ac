package io.paralleltranslation.operators.records;

/**
 * What a status record says about its document. A document gets one ACCEPTED record, PROGRESS and
 * WAITING_FOR_DAILY_QUOTA records while it is open, and one final record (COMPLETE, FAILED or
 * INCOMPLETE); a document reopened by a late result gets another final record later.
 */
public enum JobOutcome {
    /** Every chunk translated; the document was emitted. */
    COMPLETE,
    /** Every chunk has a result but at least one failed (or was dead-lettered); no document was emitted. */
    FAILED,
    /**
     * Chunks are missing for a real reason: never put (nothing of the document was in translation
     * for {@code translate.inactivity-timeout}), or no result for {@code translate.document-backstop}.
     */
    INCOMPLETE,
    /** The document's first chunk was seen: how many chunks, estimated tokens, ETA. */
    ACCEPTED,
    /** The document is open: chunks with a result so far, chunks in translation, ETA. At most one a minute. */
    PROGRESS,
    /** The day's request quota is spent: the document's chunks wait, unfailed, until {@code resumesAt}. */
    WAITING_FOR_DAILY_QUOTA;

    /** True for the outcomes that end a document (COMPLETE, FAILED, INCOMPLETE). */
    public boolean isFinal() {
        return this == COMPLETE || this == FAILED || this == INCOMPLETE;
    }
}
