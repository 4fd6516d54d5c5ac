package io.paralleltranslation.operators.records;

/** How one chunk's translation ended, or, for {@link #ACCEPTED}, that it went to translation. */
public enum ChunkStatus {
    SUCCEEDED,
    FAILED,
    /**
     * A notice from the dedup step, not a result: the chunk passed dedup and is on its way to the
     * translate step, which gives it exactly one SUCCEEDED or FAILED result. Reassembly counts a
     * chunk as "in translation" between the two, so waiting in a backlog is never mistaken for a
     * chunk that was never put.
     */
    ACCEPTED
}
