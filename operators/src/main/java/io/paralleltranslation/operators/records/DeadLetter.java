package io.paralleltranslation.operators.records;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A record the job refused, with why and when, written as one JSON line under
 * {@code <output>/_dead-letter/} (see {@link JsonLines}). Nothing is lost: the raw record is kept as
 * UTF-8 text when it decodes as UTF-8, else as base64 ({@link #rawEncoding} says which).
 * A Flink POJO.
 */
public class DeadLetter {
    public static final String ENCODING_UTF8 = "utf-8";
    public static final String ENCODING_BASE64 = "base64";

    /** Which operator refused the record: {@code parse} or {@code dedup}. */
    public String stage;
    public String reason;
    /** The raw record as received (parse) or the parsed record re-encoded as JSON (dedup). */
    public String raw;
    /** {@link #ENCODING_UTF8} or {@link #ENCODING_BASE64}. */
    public String rawEncoding;
    /** Processing time the record was refused, epoch millis. */
    public long detectedAt;
    /** Null when the record did not yield one. */
    public String jobId;
    /** Null when the record did not yield one. */
    public Integer chunkIndex;

    public DeadLetter() {}

    /** @param jobId null when unknown; @param chunkIndex null when unknown */
    public static DeadLetter of(String stage, String reason, byte[] rawBytes, long detectedAt,
            String jobId, Integer chunkIndex) {
        DeadLetter d = new DeadLetter();
        d.stage = stage;
        d.reason = reason;
        d.detectedAt = detectedAt;
        d.jobId = jobId;
        d.chunkIndex = chunkIndex;
        String text = decodeUtf8(rawBytes);
        if (text != null) {
            d.raw = text;
            d.rawEncoding = ENCODING_UTF8;
        } else {
            d.raw = Base64.getEncoder().encodeToString(rawBytes);
            d.rawEncoding = ENCODING_BASE64;
        }
        return d;
    }

    /** The raw record's bytes, whichever encoding it was stored in. */
    public byte[] rawBytes() {
        return ENCODING_BASE64.equals(rawEncoding) ? Base64.getDecoder().decode(raw)
                : raw.getBytes(StandardCharsets.UTF_8);
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "DeadLetter{" + stage + ", jobId=" + jobId + ", chunk=" + chunkIndex + ", reason=" + reason + "}";
    }
}
