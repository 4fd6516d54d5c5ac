package io.paralleltranslation.operators.records;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.Encoder;

/**
 * {@code FileSink} encoder writing each element as one JSON line ({@link JsonLines}), e.g.
 * {@code FileSink.forRowFormat(path, new JsonLinesEncoder<JobStatus>())}.
 */
public class JsonLinesEncoder<T> implements Encoder<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(T element, OutputStream stream) throws IOException {
        stream.write(JsonLines.toLine(element).getBytes(StandardCharsets.UTF_8));
        stream.write('\n');
    }
}
