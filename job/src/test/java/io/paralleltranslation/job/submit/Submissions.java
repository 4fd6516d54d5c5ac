package io.paralleltranslation.job.submit;

import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The submit tool's real code for the job's end-to-end tests: whole runs of {@link SubmitTool},
 * and its chunking and publishing steps separately, for streams with records missing, repeated or
 * broken on purpose.
 */
public final class Submissions {
    private Submissions() {}

    /** The texts of the chunks {@code chunker} cuts {@code document} into; see {@link Chunker#split}. */
    public static List<String> chunkTexts(Chunker chunker, String document) {
        List<String> texts = new ArrayList<>();
        for (int[] range : chunker.split(document)) {
            texts.add(document.substring(range[0], range[1]));
        }
        return texts;
    }

    /** Runs the submit tool with {@code args}; returns the jobIds it printed, in file order. */
    public static List<String> submit(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SubmitTool.commandLine(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("submit exited " + status + ": " + err.toString(StandardCharsets.UTF_8));
        }
        return Arrays.asList(out.toString(StandardCharsets.UTF_8).trim().split("\n"));
    }

    /** The records the submit tool would put for {@code text} (250 tokens of context). */
    public static List<ChunkRecord> chunkRecords(String text, String jobId, String source, String targetLanguage,
            int chunkTokens) {
        ChunkRecords.Document doc = new ChunkRecords.Document();
        doc.jobId = jobId;
        doc.source = source;
        doc.targetLanguage = targetLanguage;
        doc.submittedAt = Instant.now();
        return ChunkRecords.build(text, doc, chunkTokens, 250);
    }

    /** Puts raw records (partition keys spread by position) with the submit tool's publisher. */
    public static void put(KinesisClient kinesis, String streamArn, List<byte[]> records) throws Exception {
        List<RecordPublisher.Entry> entries = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            entries.add(new RecordPublisher.Entry("raw#" + i, records.get(i)));
        }
        publish(kinesis, streamArn, entries);
    }

    /** Puts chunk records as the submit tool does (JSON, partition key {@code jobId#chunkIndex}). */
    public static void putChunks(KinesisClient kinesis, String streamArn, List<ChunkRecord> records)
            throws Exception {
        List<RecordPublisher.Entry> entries = new ArrayList<>();
        for (ChunkRecord r : records) {
            entries.add(new RecordPublisher.Entry(r.partitionKey(), ChunkRecordCodec.toJsonBytes(r)));
        }
        publish(kinesis, streamArn, entries);
    }

    private static void publish(KinesisClient kinesis, String streamArn, List<RecordPublisher.Entry> entries)
            throws Exception {
        new RecordPublisher(kinesis::putRecords, streamArn, 5, Duration.ofMillis(100), Duration.ofSeconds(1),
                d -> Thread.sleep(d.toMillis())).publish(entries, done -> { });
    }
}
