package io.paralleltranslation.operators.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import io.paralleltranslation.operators.testing.Chunks;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChunkValidator validator = new ChunkValidator(50, 100);

    private static ObjectNode valid() {
        ChunkRecord c = Chunks.chunk("job-1", 2, 5);
        c.glossary = Collections.singletonMap("chunk", "Stück");
        c.model = "gemini-2.5-flash";
        return JSON.valueToTree(c);
    }

    private ChunkValidator.Result validate(ObjectNode node) throws Exception {
        return validator.validate(JSON.writeValueAsBytes(node));
    }

    private String reason(ObjectNode node) throws Exception {
        ChunkValidator.Result result = validate(node);
        assertThat(result.isValid()).as("expected a refusal of %s", node).isFalse();
        return result.reason();
    }

    @Test
    void acceptsAValidRecordAndBindsEveryField() throws Exception {
        ChunkRecord expected = Chunks.chunk("job-1", 2, 5);
        expected.glossary = Collections.singletonMap("chunk", "Stück");
        expected.model = "gemini-2.5-flash";
        ChunkValidator.Result result = validator.validate(ChunkRecordCodec.toJsonBytes(expected));
        assertThat(result.isValid()).isTrue();
        assertThat(result.record()).isEqualTo(expected);
        assertThat(result.reason()).isNull();
        assertThat(result.jobId()).isEqualTo("job-1");
        assertThat(result.chunkIndex()).isEqualTo(2);
    }

    @Test
    void acceptsARecordWithoutItsOptionalFields() throws Exception {
        ObjectNode node = valid();
        for (String field : new String[] {"previousContext", "sourceLanguage", "model", "glossary", "source",
                "submittedAt"}) {
            node.remove(field);
        }
        assertThat(validate(node).isValid()).isTrue();
        node.putNull("model");
        assertThat(validate(node).isValid()).isTrue();
    }

    @Test
    void ignoresUnknownFieldsOfTheSameVersion() throws Exception {
        assertThat(validate(valid().put("priority", 3)).isValid()).isTrue();
    }

    @Test
    void refusesMalformedJsonWithoutCopyingTheInputIntoTheReason() {
        ChunkValidator.Result result = validator.validate("{\"jobId\": \"secret-ish".getBytes(StandardCharsets.UTF_8));
        assertThat(result.reason()).startsWith("malformed JSON: ").doesNotContain("secret-ish");
        assertThat(result.jobId()).isNull();
        assertThat(result.chunkIndex()).isNull();
    }

    @Test
    void refusesTrailingContentAndNonObjects() throws Exception {
        byte[] twoObjects = (JSON.writeValueAsString(valid()) + " {}").getBytes(StandardCharsets.UTF_8);
        assertThat(validator.validate(twoObjects).reason()).startsWith("malformed JSON");
        assertThat(validator.validate("[1,2]".getBytes(StandardCharsets.UTF_8)).reason()).isEqualTo("not a JSON object");
        assertThat(validator.validate(new byte[0]).reason()).isEqualTo("not a JSON object");
    }

    @Test
    void refusesUnknownOrMissingSchemaVersions() throws Exception {
        assertThat(reason(valid().put("schemaVersion", 2))).isEqualTo("unsupported schemaVersion 2 (this job reads 1)");
        ObjectNode node = valid();
        node.remove("schemaVersion");
        assertThat(reason(node)).isEqualTo("missing schemaVersion");
        assertThat(reason(valid().put("schemaVersion", "1"))).isEqualTo("schemaVersion must be a 32-bit integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jobId", "chunkIndex", "totalChunks", "text", "targetLanguage"})
    void refusesAMissingRequiredField(String field) throws Exception {
        ObjectNode node = valid();
        node.remove(field);
        assertThat(reason(node)).isEqualTo("missing " + field);
        node.putNull(field);
        assertThat(reason(node)).isEqualTo("missing " + field);
    }

    @Test
    void refusesWrongTypes() throws Exception {
        assertThat(reason(valid().put("chunkIndex", 1.5))).isEqualTo("chunkIndex must be a 32-bit integer");
        assertThat(reason(valid().put("totalChunks", 5_000_000_000L))).isEqualTo("totalChunks must be a 32-bit integer");
        assertThat(reason(valid().put("jobId", 7))).isEqualTo("jobId must be a string");
        assertThat(reason(valid().put("source", 7))).isEqualTo("source must be a string");
        ObjectNode glossary = valid();
        glossary.putObject("glossary").put("term", 3);
        assertThat(reason(glossary)).isEqualTo("glossary must be an object of strings");
        ObjectNode glossaryArray = valid();
        glossaryArray.putArray("glossary").add("term");
        assertThat(reason(glossaryArray)).isEqualTo("glossary must be an object of strings");
    }

    @Test
    void refusesChunkCountsAndIndicesOutOfRange() throws Exception {
        assertThat(reason(valid().put("totalChunks", 0))).isEqualTo("totalChunks 0 outside [1, 100]");
        assertThat(reason(valid().put("totalChunks", 101))).isEqualTo("totalChunks 101 outside [1, 100]");
        assertThat(reason(valid().put("chunkIndex", 5))).isEqualTo("chunkIndex 5 outside [0, 5)");
        ChunkValidator.Result negative = validate(valid().put("chunkIndex", -1));
        assertThat(negative.reason()).isEqualTo("chunkIndex -1 outside [0, 5)");
        assertThat(negative.jobId()).isEqualTo("job-1");
        assertThat(negative.chunkIndex()).isEqualTo(-1);
    }

    @Test
    void refusesOversizedOrEmptyText() throws Exception {
        assertThat(reason(valid().put("text", "x".repeat(51)))).isEqualTo("text has 51 characters, more than 50");
        assertThat(validate(valid().put("text", "x".repeat(50))).isValid()).isTrue();
        assertThat(reason(valid().put("text", ""))).isEqualTo("text is empty");
        assertThat(reason(valid().put("previousContext", "x".repeat(51))))
                .isEqualTo("previousContext has 51 characters, more than 50");
        ObjectNode glossary = valid();
        glossary.putObject("glossary").put("k".repeat(30), "v".repeat(30));
        assertThat(reason(glossary)).isEqualTo("glossary has 60 characters, more than 50");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "_status", "-x", "a/b", "a\\b", "job id", "jöb", "a:b"})
    void refusesJobIdsThatAreNotSafeDirectoryNames(String jobId) throws Exception {
        assertThat(reason(valid().put("jobId", jobId))).startsWith("jobId must be 1-128 characters");
    }

    @Test
    void acceptsJobIdsUpTo128SafeCharacters() throws Exception {
        assertThat(validate(valid().put("jobId", "A9._-z" + "x".repeat(122))).isValid()).isTrue();
        assertThat(reason(valid().put("jobId", "x".repeat(129)))).startsWith("jobId must be");
    }

    @Test
    void refusesBlankTargetLanguageBadModelAndBadTimestamp() throws Exception {
        assertThat(reason(valid().put("targetLanguage", "  "))).isEqualTo("targetLanguage is blank");
        assertThat(reason(valid().put("model", "../../v1/other"))).startsWith("model must be a model id");
        assertThat(validate(valid().put("model", "models/gemini-2.5-pro")).isValid()).isTrue();
        assertThat(reason(valid().put("submittedAt", "yesterday"))).isEqualTo("submittedAt is not an ISO-8601 instant");
    }

    @Test
    void refusesRecordsThatAreNotUtf8() throws Exception {
        String json = JSON.writeValueAsString(valid());
        assertThat(validator.validate(withBom(new byte[] {(byte) 0xFE, (byte) 0xFF}, json.getBytes(
                StandardCharsets.UTF_16BE))).reason()).startsWith("record is not UTF-8: it starts with a UTF-16");
        assertThat(validator.validate(withBom(new byte[] {(byte) 0xFF, (byte) 0xFE}, json.getBytes(
                StandardCharsets.UTF_16LE))).reason()).startsWith("record is not UTF-8: it starts with a UTF-16");
        assertThat(validator.validate(json.getBytes(StandardCharsets.UTF_16LE)).reason())
                .startsWith("record is not UTF-8 JSON: it contains NUL bytes");
        byte[] latin1 = JSON.writeValueAsString(valid().put("text", "caf\u00e9")).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(validator.validate(latin1).reason()).isEqualTo("record is not UTF-8: invalid byte sequence");
        assertThat(validator.validate(JSON.writeValueAsString(valid().put("text", "caf\u00e9"))
                .getBytes(StandardCharsets.UTF_8)).isValid()).isTrue();
    }

    private static byte[] withBom(byte[] bom, byte[] body) {
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(body, 0, all, bom.length, body.length);
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"de", "DE", "pt-BR", "zh-Hant", "zh-Hant-TW", "sr-Latn-RS", "es-419", "yue", "zh-yue",
            "de-CH-1996", "en-US-x-twain", "x-klingon", "de-u-co-phonebk", "ca-valencia"})
    void acceptsBcp47LanguageTags(String tag) throws Exception {
        assertThat(validate(valid().put("targetLanguage", tag).put("sourceLanguage", tag)).isValid()).as(tag).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"German", "english", "de_DE", "de-", "-de", "d", "de--CH", "de DE", "pt-BRA-", "zh-Hant-",
            "x", "x-", "de-x", "Deutsch (Schweiz)", "123"})
    void refusesLanguagesThatAreNotBcp47Tags(String tag) throws Exception {
        assertThat(reason(valid().put("targetLanguage", tag)))
                .isEqualTo("targetLanguage must be a BCP 47 language tag such as de, pt-BR or zh-Hant");
        assertThat(reason(valid().put("sourceLanguage", tag)))
                .isEqualTo("sourceLanguage must be a BCP 47 language tag such as de, pt-BR or zh-Hant");
    }

    @Test
    void refusesDuplicateFields() {
        byte[] twice = "{\"schemaVersion\":1,\"jobId\":\"a\",\"jobId\":\"b\",\"chunkIndex\":0,\"totalChunks\":1,\"text\":\"x\",\"targetLanguage\":\"de\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(validator.validate(twice).reason()).startsWith("malformed JSON: Duplicate field 'jobId'");
    }

    @Test
    void refusesNonPositiveLimits() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new ChunkValidator(0, 10));
    }
}
