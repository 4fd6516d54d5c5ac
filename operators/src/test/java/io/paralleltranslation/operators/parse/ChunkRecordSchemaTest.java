package io.paralleltranslation.operators.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paralleltranslation.operators.records.ChunkRecord;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The published schema and the validator state the same rules. */
class ChunkRecordSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode schema() throws Exception {
        Path path = Paths.get(System.getProperty("local.services.root", ".."), "docs", "chunk-record.schema.json");
        if (!Files.exists(path)) {
            path = Paths.get("..", "docs", "chunk-record.schema.json");
        }
        return JSON.readTree(Files.readAllBytes(path));
    }

    @Test
    void namesEveryFieldOfTheRecordAndTheValidatorsRequiredOnes() throws Exception {
        JsonNode schema = schema();
        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        List<String> properties = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);
        List<String> fields = Arrays.stream(ChunkRecord.class.getFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers())).map(Field::getName).collect(Collectors.toList());
        assertThat(properties).containsExactlyInAnyOrderElementsOf(fields);
        List<String> required = new ArrayList<>();
        schema.get("required").forEach(n -> required.add(n.asText()));
        assertThat(required).containsExactlyInAnyOrder("schemaVersion", "jobId", "chunkIndex", "totalChunks", "text",
                "targetLanguage");
    }

    @Test
    void statesTheValidatorsPatternsAndDefaultLimits() throws Exception {
        JsonNode p = schema().get("properties");
        assertThat(p.get("schemaVersion").get("const").asInt()).isEqualTo(ChunkRecord.CURRENT_SCHEMA_VERSION);
        assertThat(p.get("jobId").get("pattern").asText()).isEqualTo("^" + ChunkValidator.JOB_ID.pattern() + "$");
        assertThat(p.get("model").get("pattern").asText()).isEqualTo("^" + ChunkValidator.MODEL.pattern() + "$");
        assertThat(p.get("text").get("maxLength").asInt()).isEqualTo(ChunkValidator.DEFAULT_MAX_TEXT_CHARS);
        assertThat(p.get("previousContext").get("maxLength").asInt()).isEqualTo(ChunkValidator.DEFAULT_MAX_TEXT_CHARS);
        assertThat(p.get("totalChunks").get("maximum").asInt()).isEqualTo(ChunkValidator.DEFAULT_MAX_TOTAL_CHUNKS);
        assertThat(p.get("targetLanguage").get("maxLength").asInt()).isEqualTo(ChunkValidator.MAX_LANGUAGE_CHARS);
        assertThat(p.get("targetLanguage").get("pattern").asText())
                .isEqualTo("^" + ChunkValidator.LANGUAGE_TAG.pattern() + "$");
        assertThat(p.get("sourceLanguage").get("pattern").asText())
                .isEqualTo("^" + ChunkValidator.LANGUAGE_TAG.pattern() + "$");
        assertThat(p.get("sourceLanguage").get("maxLength").asInt()).isEqualTo(ChunkValidator.MAX_LANGUAGE_CHARS);
        assertThat(p.get("source").get("maxLength").asInt()).isEqualTo(ChunkValidator.MAX_SOURCE_CHARS);
    }

    @Test
    void itsExampleIsAValidRecord() throws Exception {
        JsonNode example = schema().get("examples").get(0);
        ChunkValidator.Result result = new ChunkValidator().validate(JSON.writeValueAsBytes(example));
        assertThat(result.reason()).isNull();
        assertThat(result.record().jobId).isEqualTo("7f9c2e1a-book");
    }
}
