package io.paralleltranslation.job.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.job.KinesisStandIn;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** The submit tool's whole path, real SDK client included, against kinesis-local. */
class SubmitITCase {
    @RegisterExtension
    static final KinesisStandIn KINESIS = new KinesisStandIn();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void putsAMultiBatchDocumentThatReadsBackWhole() throws Exception {
        String arn = KINESIS.createStream("submit", 4);
        StringBuilder text = new StringBuilder("# Titel\n\n");
        for (int i = 0; i < 1_200; i++) {
            text.append("Satz ").append(i).append(" über Übersetzung. ");
            if (i % 3 == 2) {
                text.append("\n\n");
            }
        }
        Path doc = Files.write(dir.resolve("buch.md"), text.toString().getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = SubmitTool.commandLine(
                new String[] {"--stream", arn, "--endpoint", KINESIS.endpoint(), "--target-lang", "en",
                    "--chunk-tokens", "10", doc.toString()}, new PrintStream(out, true), new PrintStream(err, true));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String jobId = out.toString(StandardCharsets.UTF_8).trim();
        List<ChunkRecord> records = readAll("submit");
        assertThat(records).hasSizeGreaterThan(RecordPublisher.MAX_RECORDS_PER_CALL)
                .allMatch(r -> r.jobId.equals(jobId) && r.totalChunks == records.size());
        records.sort(Comparator.comparingInt(r -> r.chunkIndex));
        assertThat(records.stream().map(r -> r.chunkIndex).distinct().count()).isEqualTo(records.size());
        assertThat(records.stream().map(r -> r.text).collect(Collectors.joining())).isEqualTo(text.toString());
        // Several calls (at most 500 records and about 256 KiB each), each reported, the last one whole.
        List<String> progress = err.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.endsWith("/" + records.size() + " chunks put")).collect(Collectors.toList());
        assertThat(progress).hasSizeGreaterThanOrEqualTo(3)
                .endsWith("submit: buch.md: " + records.size() + "/" + records.size() + " chunks put");
    }

    private static List<ChunkRecord> readAll(String stream) throws Exception {
        List<ChunkRecord> records = new ArrayList<>();
        for (Shard shard : KINESIS.client().listShards(b -> b.streamName(stream)).shards()) {
            String iterator = KINESIS.client().getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response = KINESIS.client().getRecords(b -> b.shardIterator(current).limit(1_000));
                for (Record r : response.records()) {
                    records.add(ChunkRecordCodec.fromJson(r.data().asByteArray()));
                }
                iterator = response.records().isEmpty() ? null : response.nextShardIterator();
            }
        }
        return records;
    }
}
