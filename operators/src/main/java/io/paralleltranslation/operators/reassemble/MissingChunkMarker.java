package io.paralleltranslation.operators.reassemble;

import io.paralleltranslation.operators.records.TranslatedChunk;

/**
 * What a partial document (FAILED or INCOMPLETE) holds in place of a chunk it has no translation
 * for: one line, on its own paragraph, that names the chunk and why, e.g.
 * <pre>[[parallel-translation: MISSING CHUNK index=3 of=10 FAILED: PERMANENT (HTTP 200) finishReason=SAFETY]]</pre>
 * {@code index} is 0-based, as in the status record; the status is FAILED (the chunk's translation
 * was given up, with its reason) or MISSING (no result arrived before the document was reported).
 * A search for {@value #PREFIX} finds every hole. Documented in {@code docs/architecture.md}.
 */
final class MissingChunkMarker {
    static final String PREFIX = "[[parallel-translation: MISSING CHUNK";
    static final String MISSING_REASON = "no result arrived before the document was reported";

    private MissingChunkMarker() {}

    /** The marker of a chunk that failed, between its source chunk's own edge whitespace. */
    static String failed(TranslatedChunk chunk) {
        return chunk.leadingWhitespace + marker(chunk.chunkIndex, chunk.totalChunks, "FAILED", chunk.failureReason)
                + (chunk.trailingWhitespace.isEmpty() ? "\n\n" : chunk.trailingWhitespace);
    }

    /** The marker of a chunk with no result, as a paragraph of its own. */
    static String missing(int index, int totalChunks) {
        return marker(index, totalChunks, "MISSING", MISSING_REASON) + "\n\n";
    }

    private static String marker(int index, int totalChunks, String status, String reason) {
        // One line, and nothing that would end the marker early.
        String why = reason == null ? "unknown" : reason.replaceAll("\\s+", " ").replace("]]", "] ]").trim();
        return PREFIX + " index=" + index + " of=" + totalChunks + " " + status + ": " + why + "]]";
    }
}
