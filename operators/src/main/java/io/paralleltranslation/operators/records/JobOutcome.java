package io.paralleltranslation.operators.records;

/** How a job (one document) ended. */
public enum JobOutcome {
    /** Every chunk translated; the document was emitted. */
    COMPLETE,
    /** Every chunk has a result but at least one failed; no document was emitted. */
    FAILED,
    /** No progress within the inactivity timeout while chunks were still missing. */
    INCOMPLETE
}
