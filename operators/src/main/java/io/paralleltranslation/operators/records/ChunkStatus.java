package io.paralleltranslation.operators.records;

/** How one chunk's translation ended. */
public enum ChunkStatus {
    SUCCEEDED,
    FAILED
}
