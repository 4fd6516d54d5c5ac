package io.paralleltranslation.operators.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a raw chunk record into a {@link ChunkRecord}, or says precisely why it cannot. The rules
 * are those of {@code docs/chunk-record.schema.json}; a record that passes is safe to key by, to
 * use as a directory name ({@code jobId}) and to send to the model.
 */
public final class ChunkValidator implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * About 15,000 tokens, four times the submit tool's default chunk budget, and the job's
     * {@code translate.max-chunk-chars} default: a longer chunk of CJK could not be answered whole
     * within the model's output-token cap (docs/translation-cache.md).
     */
    public static final int DEFAULT_MAX_TEXT_CHARS = 60_000;
    /** Bounds the per-document state and the size of a status report's missing-index list. */
    public static final int DEFAULT_MAX_TOTAL_CHUNKS = 10_000;

    /** A jobId names an output directory: safe characters only, and never ".", ".." or "_status". */
    public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** A model id goes into the request URL path. */
    public static final Pattern MODEL = Pattern.compile("(models/)?[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /**
     * A well-formed BCP 47 language tag (RFC 5646 {@code langtag} or private use, either case; the
     * grandfathered tags are not accepted). Well-formed, not looked up in the registry: the model
     * understands more tags than any one registry snapshot lists. The primary language subtag is
     * 2-3 letters: RFC 5646's 4-8 letter ones are reserved or unassigned, and refusing them turns
     * a language name such as "German" into a dead letter instead of a guess.
     */
    public static final Pattern LANGUAGE_TAG = Pattern.compile(
            "(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}"
                    + "(?:-[A-Za-z]{4})?"
                    + "(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
                    + "(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
                    + "(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*"
                    + "(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
                    + "|[Xx](?:-[A-Za-z0-9]{1,8})+)");
    static final int MAX_LANGUAGE_CHARS = 100;
    static final int MAX_SOURCE_CHARS = 1024;

    private final int maxTextChars;
    private final int maxTotalChunks;

    public ChunkValidator() {
        this(DEFAULT_MAX_TEXT_CHARS, DEFAULT_MAX_TOTAL_CHUNKS);
    }

    /**
     * @param maxTextChars largest {@code text} (and {@code previousContext}, and glossary) in UTF-16 chars
     * @param maxTotalChunks largest {@code totalChunks} accepted
     */
    public ChunkValidator(int maxTextChars, int maxTotalChunks) {
        if (maxTextChars < 1 || maxTotalChunks < 1) {
            throw new IllegalArgumentException("maxTextChars and maxTotalChunks must be positive, got "
                    + maxTextChars + " and " + maxTotalChunks);
        }
        this.maxTextChars = maxTextChars;
        this.maxTotalChunks = maxTotalChunks;
    }

    /** The outcome of {@link #validate}: a record, or a reason with whatever identity was readable. */
    public static final class Result {
        private final ChunkRecord record;
        private final String reason;
        private final String jobId;
        private final Integer chunkIndex;

        private Result(ChunkRecord record, String reason, String jobId, Integer chunkIndex) {
            this.record = record;
            this.reason = reason;
            this.jobId = jobId;
            this.chunkIndex = chunkIndex;
        }

        public boolean isValid() {
            return record != null;
        }

        /** Null when invalid. */
        public ChunkRecord record() {
            return record;
        }

        /** Null when valid. */
        public String reason() {
            return reason;
        }

        /** The jobId if the record carried a string one (even an invalid one), else null. */
        public String jobId() {
            return jobId;
        }

        /** The chunkIndex if the record carried an integer one, else null. */
        public Integer chunkIndex() {
            return chunkIndex;
        }
    }

    /** An invalid field; carries the reason to the dead letter. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    public Result validate(byte[] raw) {
        String notUtf8 = notUtf8Json(raw);
        if (notUtf8 != null) {
            return new Result(null, notUtf8, null, null);
        }
        JsonNode root;
        try {
            root = ChunkRecordCodec.readTree(raw);
        } catch (JsonProcessingException e) {
            // The original message leaves out Jackson's copy of the input: the raw record is kept anyway.
            return new Result(null, "malformed JSON: " + e.getOriginalMessage(), null, null);
        } catch (IOException e) {
            return new Result(null, "malformed JSON: " + e.getMessage(), null, null);
        }
        if (root == null || !root.isObject()) {
            return new Result(null, "not a JSON object", null, null);
        }
        JsonNode jobIdNode = root.get("jobId");
        String jobId = jobIdNode != null && jobIdNode.isTextual() ? jobIdNode.asText() : null;
        JsonNode indexNode = root.get("chunkIndex");
        Integer chunkIndex = indexNode != null && indexNode.isIntegralNumber() && indexNode.canConvertToInt()
                ? indexNode.intValue() : null;
        try {
            check(root);
            return new Result(ChunkRecordCodec.fromTree(root), null, jobId, chunkIndex);
        } catch (Invalid e) {
            return new Result(null, e.getMessage(), jobId, chunkIndex);
        } catch (IOException e) {
            return new Result(null, "record does not bind: " + e.getMessage(), jobId, chunkIndex);
        }
    }

    /**
     * Jackson detects UTF-16 and UTF-32 by their byte patterns and would read them, but the record
     * format is UTF-8 only: a producer writing another encoding has a bug worth a dead letter, not a
     * translation of whatever the bytes happened to decode to. A NUL byte is never valid JSON text in
     * UTF-8, so it marks a wider encoding even without a byte-order mark.
     */
    private static String notUtf8Json(byte[] raw) {
        if (raw.length >= 2 && ((raw[0] == (byte) 0xFE && raw[1] == (byte) 0xFF)
                || (raw[0] == (byte) 0xFF && raw[1] == (byte) 0xFE))) {
            return "record is not UTF-8: it starts with a UTF-16 or UTF-32 byte-order mark";
        }
        for (byte b : raw) {
            if (b == 0) {
                return "record is not UTF-8 JSON: it contains NUL bytes (UTF-16 or UTF-32?)";
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw));
            return null;
        } catch (CharacterCodingException e) {
            return "record is not UTF-8: invalid byte sequence";
        }
    }

    private void check(JsonNode root) throws Invalid {
        int version = requiredInt(root, "schemaVersion");
        if (version != ChunkRecord.CURRENT_SCHEMA_VERSION) {
            throw new Invalid("unsupported schemaVersion " + version + " (this job reads "
                    + ChunkRecord.CURRENT_SCHEMA_VERSION + ")");
        }
        String jobId = requiredString(root, "jobId");
        if (!JOB_ID.matcher(jobId).matches()) {
            throw new Invalid("jobId must be 1-128 characters of [A-Za-z0-9._-] starting with a letter or digit");
        }
        int totalChunks = requiredInt(root, "totalChunks");
        if (totalChunks < 1 || totalChunks > maxTotalChunks) {
            throw new Invalid("totalChunks " + totalChunks + " outside [1, " + maxTotalChunks + "]");
        }
        int chunkIndex = requiredInt(root, "chunkIndex");
        if (chunkIndex < 0 || chunkIndex >= totalChunks) {
            throw new Invalid("chunkIndex " + chunkIndex + " outside [0, " + totalChunks + ")");
        }
        String text = requiredString(root, "text");
        if (text.isEmpty()) {
            throw new Invalid("text is empty");
        }
        checkLength("text", text, maxTextChars);
        String target = requiredString(root, "targetLanguage");
        if (target.trim().isEmpty()) {
            throw new Invalid("targetLanguage is blank");
        }
        checkLanguageTag("targetLanguage", target);
        checkLength("previousContext", optionalString(root, "previousContext"), maxTextChars);
        String sourceLanguage = optionalString(root, "sourceLanguage");
        if (sourceLanguage != null) {
            checkLanguageTag("sourceLanguage", sourceLanguage);
        }
        checkLength("source", optionalString(root, "source"), MAX_SOURCE_CHARS);
        String model = optionalString(root, "model");
        if (model != null && !MODEL.matcher(model).matches()) {
            throw new Invalid("model must be a model id of [A-Za-z0-9._-], optionally prefixed by models/");
        }
        String submittedAt = optionalString(root, "submittedAt");
        if (submittedAt != null) {
            try {
                Instant.parse(submittedAt);
            } catch (DateTimeParseException e) {
                throw new Invalid("submittedAt is not an ISO-8601 instant");
            }
        }
        checkGlossary(root.get("glossary"));
    }

    private void checkGlossary(JsonNode glossary) throws Invalid {
        if (glossary == null || glossary.isNull()) {
            return;
        }
        if (!glossary.isObject()) {
            throw new Invalid("glossary must be an object of strings");
        }
        long chars = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = glossary.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw new Invalid("glossary must be an object of strings");
            }
            chars += entry.getKey().length() + entry.getValue().asText().length();
        }
        if (chars > maxTextChars) {
            throw new Invalid("glossary has " + chars + " characters, more than " + maxTextChars);
        }
    }

    private static int requiredInt(JsonNode root, String field) throws Invalid {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new Invalid("missing " + field);
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new Invalid(field + " must be a 32-bit integer");
        }
        return node.intValue();
    }

    private static String requiredString(JsonNode root, String field) throws Invalid {
        String value = optionalString(root, field);
        if (value == null) {
            throw new Invalid("missing " + field);
        }
        return value;
    }

    private static String optionalString(JsonNode root, String field) throws Invalid {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Invalid(field + " must be a string");
        }
        return node.asText();
    }

    private static void checkLanguageTag(String field, String value) throws Invalid {
        checkLength(field, value, MAX_LANGUAGE_CHARS);
        if (!isLanguageTag(value)) {
            throw new Invalid(field + " must be a BCP 47 language tag such as de, pt-BR or zh-Hant");
        }
    }

    /** True for a well-formed BCP 47 tag of at most {@value #MAX_LANGUAGE_CHARS} characters. */
    public static boolean isLanguageTag(String value) {
        return value != null && value.length() <= MAX_LANGUAGE_CHARS && LANGUAGE_TAG.matcher(value).matches();
    }

    private static void checkLength(String field, String value, int max) throws Invalid {
        if (value != null && value.length() > max) {
            throw new Invalid(field + " has " + value.length() + " characters, more than " + max);
        }
    }
}
