package io.paralleltranslation.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.job.TranslationJob;
import io.paralleltranslation.job.config.JobConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The sinks on a MiniCluster with the job's own Flink settings (RocksDB, exactly-once checkpoints). */
class OutputSinksITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final int DOCUMENTS = 6;

    @TempDir
    Path out;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void eachDocumentLandsWholeInExactlyOneFileAndTheJsonLinesInTheirDirectories() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("kinesis.stream", "arn:aws:kinesis:us-east-1:000000000000:stream/unused");
        settings.put("output.path", out.toUri().toString());
        settings.put("job.checkpoint-interval", "100ms");
        settings.put("job.restart-strategy", "NONE");
        settings.put("job.parallelism", "2");
        JobConfig config = JobConfig.of(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                TranslationJob.flinkConfiguration(config));

        // Bounded on purpose: the final checkpoint at end of input commits what is pending.
        DataGeneratorSource<byte[]> source = new DataGeneratorSource<>(
                i -> ("job-" + i).getBytes(StandardCharsets.UTF_8), DOCUMENTS, RateLimiterStrategy.perSecond(20),
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        TranslationJob.build(env, config, source, OutputSinksITCase::fakeOutputs);
        env.execute("sinks");

        for (int i = 0; i < DOCUMENTS; i++) {
            String jobId = "job-" + i;
            List<Path> files = listFiles(out.resolve(jobId));
            assertThat(files).as(jobId).hasSize(1);
            assertThat(files.get(0).getFileName().toString())
                    .startsWith(OutputSinks.DOCUMENT_PREFIX).endsWith(OutputSinks.DOCUMENT_SUFFIX);
            assertThat(new String(Files.readAllBytes(files.get(0)), StandardCharsets.UTF_8))
                    .isEqualTo(documentText(jobId));
        }
        assertThat(lines(out.resolve(OutputSinks.STATUS_DIR))).hasSize(DOCUMENTS)
                .allMatch(line -> line.startsWith("{\"jobId\":\"job-"));
        assertThat(lines(out.resolve(OutputSinks.DEAD_LETTER_DIR))).containsExactly("{\"reason\":\"test\",\"raw\":\"job-0\"}");
        try (Stream<Path> all = Files.walk(out)) {
            assertThat(all.filter(p -> p.getFileName().toString().startsWith("."))).as("in-progress files").isEmpty();
        }
    }

    private static TranslationJob.Outputs fakeOutputs(DataStream<byte[]> records, JobConfig config) {
        DataStream<String> jobIds = records.map(b -> new String(b, StandardCharsets.UTF_8)).returns(Types.STRING);
        return new TranslationJob.Outputs(
                jobIds.map(id -> new DocumentFile(id, documentText(id))).returns(DocumentFile.class),
                jobIds.map(id -> "{\"jobId\":\"" + id + "\"}").returns(Types.STRING),
                jobIds.filter(id -> id.equals("job-0")).map(id -> "{\"reason\":\"test\",\"raw\":\"" + id + "\"}")
                        .returns(Types.STRING));
    }

    /** Multi-line, non-ASCII, no trailing newline, and one large enough to span buffers. */
    private static String documentText(String jobId) {
        StringBuilder text = new StringBuilder("# " + jobId + "\n\nÜbersetzung — 翻訳 — ترجمة\n");
        int paragraphs = jobId.endsWith("5") ? 5_000 : 3;
        for (int p = 0; p < paragraphs; p++) {
            text.append("\nParagraph ").append(p).append(" of ").append(jobId).append('.');
        }
        return text.toString();
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    private static List<String> lines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path file : listFiles(dir)) {
            lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        return lines;
    }
}
