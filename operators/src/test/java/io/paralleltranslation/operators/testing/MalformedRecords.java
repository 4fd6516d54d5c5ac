package io.paralleltranslation.operators.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * A corpus of the ways a record on the chunk stream can be wrong, each with the stage that must
 * refuse it and the start of the reason it must give. Every kind is a separate jobId
 * ({@code bad-NN}) so a test can match each dead letter to its kind. Kinds refused by dedup come
 * with the good record they collide with ({@link #goodRecords()}).
 */
public final class MalformedRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One kind of bad record. */
    public static final class Kind {
        public final String name;
        public final byte[] raw;
        /** {@code parse} or {@code dedup}. */
        public final String stage;
        public final String reasonPrefix;

        Kind(String name, byte[] raw, String stage, String reasonPrefix) {
            this.name = name;
            this.raw = raw;
            this.stage = stage;
            this.reasonPrefix = reasonPrefix;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private MalformedRecords() {}

    /** Records the dedup kinds collide with; they are themselves valid and pass. */
    public static List<byte[]> goodRecords() {
        return List.of(ChunkRecordCodec.toJsonBytes(Chunks.chunk("collide-total", 0, 3)),
                ChunkRecordCodec.toJsonBytes(Chunks.chunk("collide-content", 1, 3)));
    }

    /** Every kind; parse kinds first, then the dedup kinds (which must follow their good records). */
    public static List<Kind> all() {
        List<Kind> kinds = new ArrayList<>();
        String notObject = "not a JSON object";
        String malformed = "malformed JSON";
        raw(kinds, "empty record", new byte[0], notObject);
        raw(kinds, "JSON null", utf8("null"), notObject);
        raw(kinds, "JSON array", utf8("[1,2]"), notObject);
        raw(kinds, "JSON number", utf8("42"), notObject);
        raw(kinds, "JSON string", utf8("\"chunk\""), notObject);
        raw(kinds, "truncated object", utf8("{\"jobId\":\"bad\",\"chunkIndex\":"), malformed);
        raw(kinds, "trailing garbage", utf8(json(valid("bad-trailing")) + " xyz"), malformed);
        raw(kinds, "two objects", utf8(json(valid("bad-two")) + json(valid("bad-two"))), malformed);
        raw(kinds, "comment", utf8("/* c */" + json(valid("bad-comment"))), malformed);
        raw(kinds, "single quotes", utf8("{'jobId':'bad'}"), malformed);
        raw(kinds, "NaN token", utf8("{\"schemaVersion\":NaN}"), malformed);
        raw(kinds, "nested too deep", utf8("{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"), malformed);
        raw(kinds, "duplicate field", utf8("{\"schemaVersion\":1,\"jobId\":\"bad-a\",\"jobId\":\"bad-b\","
                + "\"chunkIndex\":0,\"totalChunks\":1,\"text\":\"x\",\"targetLanguage\":\"de\"}"), malformed);
        raw(kinds, "UTF-16BE with byte-order mark", concat(new byte[] {(byte) 0xFE, (byte) 0xFF},
                json(valid("bad-utf16be")).getBytes(StandardCharsets.UTF_16BE)), "record is not UTF-8");
        raw(kinds, "UTF-16LE with byte-order mark", concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
                json(valid("bad-utf16le")).getBytes(StandardCharsets.UTF_16LE)), "record is not UTF-8");
        raw(kinds, "UTF-16LE without byte-order mark", json(valid("bad-utf16")).getBytes(StandardCharsets.UTF_16LE),
                "record is not UTF-8 JSON");
        raw(kinds, "UTF-32", json(valid("bad-utf32")).getBytes(java.nio.charset.Charset.forName("UTF-32")),
                "record is not UTF-8 JSON");
        raw(kinds, "Latin-1 text", json(edit(valid("bad-latin1"), n -> n.put("text", "caf\u00e9")))
                .getBytes(StandardCharsets.ISO_8859_1), "record is not UTF-8");
        raw(kinds, "lone continuation byte", concat(utf8("{\"text\":\""), new byte[] {(byte) 0x80}, utf8("\"}")),
                "record is not UTF-8");
        raw(kinds, "overlong encoding", concat(utf8("{\"text\":\""), new byte[] {(byte) 0xC0, (byte) 0xAF},
                utf8("\"}")), "record is not UTF-8");

        field(kinds, "no schemaVersion", n -> n.remove("schemaVersion"), "missing schemaVersion");
        field(kinds, "schemaVersion 2", n -> n.put("schemaVersion", 2), "unsupported schemaVersion 2");
        field(kinds, "schemaVersion as string", n -> n.put("schemaVersion", "1"), "schemaVersion must be a 32-bit");
        field(kinds, "no jobId", n -> n.remove("jobId"), "missing jobId");
        field(kinds, "jobId a number", n -> n.put("jobId", 7), "jobId must be a string");
        field(kinds, "jobId with a slash", n -> n.put("jobId", "bad/../x"), "jobId must be 1-128 characters");
        field(kinds, "jobId _status", n -> n.put("jobId", "_status"), "jobId must be 1-128 characters");
        field(kinds, "jobId ..", n -> n.put("jobId", ".."), "jobId must be 1-128 characters");
        field(kinds, "jobId 129 characters", n -> n.put("jobId", "b".repeat(129)), "jobId must be 1-128 characters");
        field(kinds, "no chunkIndex", n -> n.remove("chunkIndex"), "missing chunkIndex");
        field(kinds, "negative chunkIndex", n -> n.put("chunkIndex", -1), "chunkIndex -1 outside [0, 3)");
        field(kinds, "chunkIndex equal to totalChunks", n -> n.put("chunkIndex", 3), "chunkIndex 3 outside [0, 3)");
        field(kinds, "fractional chunkIndex", n -> n.put("chunkIndex", 1.5), "chunkIndex must be a 32-bit integer");
        field(kinds, "chunkIndex beyond 32 bits", n -> n.put("chunkIndex", 1L << 40),
                "chunkIndex must be a 32-bit integer");
        field(kinds, "totalChunks 0", n -> n.put("totalChunks", 0), "totalChunks 0 outside");
        field(kinds, "totalChunks above the limit", n -> n.put("totalChunks", 10_001), "totalChunks 10001 outside");
        field(kinds, "no text", n -> n.remove("text"), "missing text");
        field(kinds, "null text", n -> n.putNull("text"), "missing text");
        field(kinds, "empty text", n -> n.put("text", ""), "text is empty");
        field(kinds, "text too long", n -> n.put("text", "x".repeat(100_001)), "text has 100001 characters");
        field(kinds, "text a number", n -> n.put("text", 5), "text must be a string");
        field(kinds, "no targetLanguage", n -> n.remove("targetLanguage"), "missing targetLanguage");
        field(kinds, "blank targetLanguage", n -> n.put("targetLanguage", "  "), "targetLanguage is blank");
        field(kinds, "targetLanguage a name", n -> n.put("targetLanguage", "German"),
                "targetLanguage must be a BCP 47 language tag");
        field(kinds, "targetLanguage with underscore", n -> n.put("targetLanguage", "de_DE"),
                "targetLanguage must be a BCP 47 language tag");
        field(kinds, "sourceLanguage a name", n -> n.put("sourceLanguage", "English"),
                "sourceLanguage must be a BCP 47 language tag");
        field(kinds, "model escaping the path", n -> n.put("model", "../../v1/other"), "model must be a model id");
        field(kinds, "glossary an array", n -> n.putArray("glossary").add("term"), "glossary must be an object");
        field(kinds, "glossary value a number", n -> n.putObject("glossary").put("term", 3),
                "glossary must be an object");
        field(kinds, "glossary too large", n -> n.putObject("glossary").put("t", "x".repeat(100_000)),
                "glossary has 100001 characters");
        field(kinds, "previousContext too long", n -> n.put("previousContext", "x".repeat(100_001)),
                "previousContext has 100001 characters");
        field(kinds, "source too long", n -> n.put("source", "s".repeat(1_025)), "source has 1025 characters");
        field(kinds, "submittedAt not an instant", n -> n.put("submittedAt", "yesterday"),
                "submittedAt is not an ISO-8601 instant");

        ChunkRecord wrongTotal = Chunks.chunk("collide-total", 1, 4);
        kinds.add(new Kind("totalChunks disagreeing with earlier chunks", ChunkRecordCodec.toJsonBytes(wrongTotal),
                "dedup", "totalChunks 4 disagrees with 3"));
        ChunkRecord conflicting = Chunks.chunk("collide-content", 1, 3);
        conflicting.text = "Other text at the same index.";
        kinds.add(new Kind("same index, other content", ChunkRecordCodec.toJsonBytes(conflicting), "dedup",
                "conflict: chunk 1 of this job was already accepted with other content"));
        return Collections.unmodifiableList(kinds);
    }

    private static void raw(List<Kind> kinds, String name, byte[] raw, String reasonPrefix) {
        kinds.add(new Kind(name, raw, "parse", reasonPrefix));
    }

    private static void field(List<Kind> kinds, String name, Consumer<ObjectNode> change, String reasonPrefix) {
        String jobId = String.format("bad-%02d", kinds.size());
        ObjectNode node = valid(jobId);
        change.accept(node);
        kinds.add(new Kind(name, utf8(json(node)), "parse", reasonPrefix));
    }

    private static ObjectNode valid(String jobId) {
        return JSON.valueToTree(Chunks.chunk(jobId, 1, 3));
    }

    private static ObjectNode edit(ObjectNode node, Consumer<ObjectNode> change) {
        change.accept(node);
        return node;
    }

    private static String json(ObjectNode node) {
        return node.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
