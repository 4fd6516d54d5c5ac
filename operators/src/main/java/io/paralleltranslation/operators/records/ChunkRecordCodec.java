package io.paralleltranslation.operators.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** JSON form of {@link ChunkRecord}: the one codec the submit tool and the job share. */
public final class ChunkRecordCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // {"jobId":"a","jobId":"b"} names two documents; last-wins would pick one silently.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ChunkRecordCodec() {}

    public static byte[] toJsonBytes(ChunkRecord record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the JSON; field-level validation is the parse operator's job. */
    public static ChunkRecord fromJson(byte[] json) throws IOException {
        return MAPPER.readValue(json, ChunkRecord.class);
    }

    public static ChunkRecord fromJson(String json) throws IOException {
        return fromJson(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON tree of a record, for validation before binding; trailing content is an error. */
    public static JsonNode readTree(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    public static ChunkRecord fromTree(JsonNode tree) throws IOException {
        return MAPPER.treeToValue(tree, ChunkRecord.class);
    }
}
