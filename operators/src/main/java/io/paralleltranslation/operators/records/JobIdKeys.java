package io.paralleltranslation.operators.records;

import org.apache.flink.api.java.functions.KeySelector;

/** Key selectors for the keyed steps (named classes, so Flink needs no lambda type hints). */
public final class JobIdKeys {
    private JobIdKeys() {}

    /** Keys chunk records by jobId, for the dedup step. */
    public static final class OfChunk implements KeySelector<ChunkRecord, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ChunkRecord chunk) {
            return chunk.jobId;
        }
    }

    /** Keys translated chunks by jobId, for the reassembly step. */
    public static final class OfResult implements KeySelector<TranslatedChunk, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(TranslatedChunk chunk) {
            return chunk.jobId;
        }
    }
}
