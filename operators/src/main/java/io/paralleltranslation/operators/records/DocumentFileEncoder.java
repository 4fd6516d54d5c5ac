package io.paralleltranslation.operators.records;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.flink.api.common.serialization.Encoder;

/**
 * {@code FileSink} encoder writing a document's file content ({@link TranslatedDocument#fileContent()}).
 * One document per file needs a bucket per jobId and a rolling policy that rolls after each element.
 */
public class DocumentFileEncoder implements Encoder<TranslatedDocument> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(TranslatedDocument document, OutputStream stream) throws IOException {
        stream.write(document.fileContent());
    }
}
