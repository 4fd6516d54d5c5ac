package io.paralleltranslation.job.sink;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.DateTimeBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The job's exactly-once outputs under one base path (a local directory or {@code s3://}):
 * each document in its own named file, {@code <output>/<jobId>/<name>.<lang><ext>}
 * ({@link DocumentNames}), written by {@link DocumentSink} which then writes its COMPLETE status;
 * the other status records and the dead letters as JSON lines under {@code <output>/_status/} and
 * {@code <output>/_dead-letter/} (one sub-directory per UTC day). Files become visible when the
 * checkpoint after them completes; a COMPLETE status right after its document, in its own file.
 */
public final class OutputSinks {
    public static final String STATUS_DIR = "_status";
    public static final String DEAD_LETTER_DIR = "_dead-letter";

    private OutputSinks() {}

    /** Partial documents (FAILED or INCOMPLETE jobs), apart from whole ones: {@code _partial/<jobId>/}. */
    public static final String PARTIAL_DIR = "_partial";

    /**
     * What FAILED and INCOMPLETE jobs did translate, one file each under {@code <output>/_partial/<jobId>/},
     * so nothing reading {@code <output>/<jobId>/} mistakes a document with holes for a translation.
     */
    public static DocumentSink partialDocuments(String outputPath) {
        return new DocumentSink((outputPath.endsWith("/") ? outputPath : outputPath + "/") + PARTIAL_DIR);
    }

    /** Documents, then their COMPLETE status lines (after the document is committed). */
    public static DocumentSink documents(String outputPath) {
        return new DocumentSink(outputPath);
    }

    /** Status records other than COMPLETE (those come from {@link #documents}), one JSON object a line. */
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
}
