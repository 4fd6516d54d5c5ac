package io.paralleltranslation.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a translation's text is kept in one entry: as is when small, gzip-compressed when large
 * (DynamoDB bills writes per KB and refuses items over 400 KB), and not at all when even the
 * compressed text exceeds {@link #MAX_STORED_BYTES}. Such a text, far beyond what a chunk of
 * {@code translate.max-chunk-chars} translates to, is simply not cached: the chunk is still
 * translated and delivered, it would only be paid again on a replay.
 */
final class StoredText {
    /** Texts up to this many UTF-8 bytes are kept as a string. */
    static final int COMPRESS_ABOVE_BYTES = 4 * 1024;
    /** DynamoDB's item limit (400 KB) less room for the key and the other attributes. */
    static final int MAX_STORED_BYTES = 390 * 1024;

    private final String plain;
    private final byte[] gzip;

    private StoredText(String plain, byte[] gzip) {
        this.plain = plain;
        this.gzip = gzip;
    }

    /** The stored form of {@code text}, or null when it does not fit. */
    static StoredText of(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= COMPRESS_ABOVE_BYTES) {
            return new StoredText(text, null);
        }
        byte[] compressed = gzip(utf8);
        if (compressed.length < utf8.length) {
            return compressed.length <= MAX_STORED_BYTES ? new StoredText(null, compressed) : null;
        }
        return utf8.length <= MAX_STORED_BYTES ? new StoredText(text, null) : null;
    }

    static StoredText ofGzip(byte[] gzip) {
        return new StoredText(null, gzip);
    }

    boolean isCompressed() {
        return gzip != null;
    }

    /** The plain text; null when compressed. */
    String plain() {
        return plain;
    }

    /** The compressed bytes; null when plain. */
    byte[] gzip() {
        return gzip;
    }

    String text() {
        return plain != null ? plain : new String(gunzip(gzip), StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory", e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] bytes) {
        try (GZIPInputStream zip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return zip.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("a cached translation is not valid gzip", e);
        }
    }
}
