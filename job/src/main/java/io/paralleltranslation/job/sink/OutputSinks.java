package io.paralleltranslation.job.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.DateTimeBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The job's three exactly-once outputs under one base path (a local directory or {@code s3://}):
 * documents as one file each under {@code <output>/<jobId>/}, status records and dead letters as
 * JSON lines under {@code <output>/_status/} and {@code <output>/_dead-letter/} (one
 * sub-directory per UTC day). Files become visible when the checkpoint after them completes.
 */
public final class OutputSinks {
    public static final String STATUS_DIR = "_status";
    public static final String DEAD_LETTER_DIR = "_dead-letter";
    public static final String DOCUMENT_PREFIX = "translation";
    public static final String DOCUMENT_SUFFIX = ".txt";
    /** Partial documents (FAILED or INCOMPLETE jobs), apart from whole ones: {@code _partial/<jobId>/}. */
    public static final String PARTIAL_DIR = "_partial";
    public static final String PARTIAL_PREFIX = "partial";

    private OutputSinks() {}

    public static FileSink<DocumentFile> documents(String outputPath) {
        return documents(new Path(outputPath), DOCUMENT_PREFIX);
    }

    /**
     * What FAILED and INCOMPLETE jobs did translate, one file each under {@code <output>/_partial/<jobId>/},
     * so nothing reading {@code <output>/<jobId>/} mistakes a document with holes for a translation.
     */
    public static FileSink<DocumentFile> partialDocuments(String outputPath) {
        return documents(new Path(new Path(outputPath), PARTIAL_DIR), PARTIAL_PREFIX);
    }

    private static FileSink<DocumentFile> documents(Path base, String prefix) {
        return FileSink.forRowFormat(base, new DocumentEncoder())
                .withBucketAssigner(new ByJobId())
                .withRollingPolicy(new OneFilePerDocument())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix(prefix).withPartSuffix(DOCUMENT_SUFFIX).build())
                .build();
    }

    /** Status records, one JSON object a line. */
    public static FileSink<String> statusLines(String outputPath) {
        return jsonLines(outputPath, STATUS_DIR, "status");
    }

    /** Dead letters (reason and raw record), one JSON object a line. */
    public static FileSink<String> deadLetterLines(String outputPath) {
        return jsonLines(outputPath, DEAD_LETTER_DIR, "dead-letter");
    }

    private static FileSink<String> jsonLines(String outputPath, String dir, String prefix) {
        return FileSink.forRowFormat(new Path(new Path(outputPath), dir),
                        new SimpleStringEncoder<String>(StandardCharsets.UTF_8.name()))
                .withBucketAssigner(new DateTimeBucketAssigner<>("yyyy-MM-dd", ZoneOffset.UTC))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(prefix).withPartSuffix(".jsonl")
                        .build())
                .build();
    }

    /** The document's text exactly, no separator: the file is the document. */
    static final class DocumentEncoder implements Encoder<DocumentFile> {
        private static final long serialVersionUID = 1L;

        @Override
        public void encode(DocumentFile document, OutputStream stream) throws IOException {
            stream.write(document.content.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Each job's document in its own directory, named by the jobId ([A-Za-z0-9._-], checked upstream). */
    static final class ByJobId implements BucketAssigner<DocumentFile, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(DocumentFile document, Context context) {
            return document.jobId;
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }

    /**
     * Rolls on checkpoints like {@link OnCheckpointRollingPolicy}, and also before a second
     * element would share a part file, so a document never shares its file with another.
     */
    static final class OneFilePerDocument extends CheckpointRollingPolicy<DocumentFile, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean shouldRollOnEvent(PartFileInfo<String> partFileState, DocumentFile element)
                throws IOException {
            return partFileState.getSize() > 0;
        }

        @Override
        public boolean shouldRollOnProcessingTime(PartFileInfo<String> partFileState, long currentTime) {
            return false;
        }
    }
}
