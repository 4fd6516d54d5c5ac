package io.paralleltranslation.operators.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON-lines form of the job's report records ({@link JobStatus}, {@link DeadLetter}, and any
 * other POJO of this package): one JSON object per line, nulls left out, times in epoch millis.
 */
public final class JsonLines {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonLines() {}

    /** One line of JSON, without the line break (Jackson escapes every newline inside strings). */
    public static String toLine(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T fromLine(String line, Class<T> type) throws IOException {
        return MAPPER.readValue(line, type);
    }
}
