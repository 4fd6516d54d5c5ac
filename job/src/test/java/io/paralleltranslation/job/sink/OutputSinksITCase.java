package io.paralleltranslation.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.job.TranslationJob;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.OutputOptions;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.JsonLines;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
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
    void eachDocumentLandsWholeInItsNamedFileOnceAndItsStatusOnlyAfterIt() throws Exception {
        StreamExecutionEnvironment env = environment(0);
        // Bounded on purpose: the final checkpoint at end of input commits what is pending.
        TranslationJob.build(env, config, from(source()), OutputSinksITCase::fakeOutputs);
        StatusWatcher watcher = new StatusWatcher(out);
        watcher.start();
        try {
            env.execute("sinks");
        } finally {
            watcher.stop();
        }

        assertEveryDocumentOnceWithItsStatus();
        assertThat(watcher.statusesSeenBeforeTheirFile).as("COMPLETE statuses visible before their file").isEmpty();
        assertThat(watcher.statusesSeen).as("the watcher saw statuses appear").isNotEmpty();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRestartWritesNoDocumentOrStatusTwice() throws Exception {
        StreamExecutionEnvironment env = environment(1);
        FAILED_ONCE.set(false);
        // Slow enough that checkpoints complete between documents: some are committed before the failure.
        TranslationJob.build(env, config, from(source(2)), (records, c) -> fakeOutputs(records.map(new FailOnceAfterCheckpoint())
                .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO), c));
        env.execute("sinks-with-a-restart");

        assertThat(FAILED_ONCE.get()).as("the job failed once and recovered").isTrue();
        assertEveryDocumentOnceWithItsStatus();
    }

    private JobConfig config;

    private StreamExecutionEnvironment environment(int restarts) {
        Map<String, String> settings = new HashMap<>();
        settings.put("kinesis.stream", "arn:aws:kinesis:us-east-1:000000000000:stream/unused");
        settings.put("output.path", out.toUri().toString());
        settings.put("job.checkpoint-interval", "100ms");
        settings.put("job.restart-strategy", restarts == 0 ? "NONE" : "FIXED_DELAY");
        settings.put("job.restart-attempts", Integer.toString(Math.max(1, restarts)));
        settings.put("job.restart-delay", "200ms");
        settings.put("job.parallelism", "2");
        config = JobConfig.of(settings);
        return StreamExecutionEnvironment.getExecutionEnvironment(TranslationJob.flinkConfiguration(config));
    }

    private static TranslationJob.RecordSource from(DataGeneratorSource<byte[]> source) {
        return (env, config) -> env.fromSource(source, WatermarkStrategy.noWatermarks(), "records",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    private static DataGeneratorSource<byte[]> source() {
        return source(20);
    }

    private static DataGeneratorSource<byte[]> source(double perSecond) {
        return new DataGeneratorSource<>(i -> ("job-" + i).getBytes(StandardCharsets.UTF_8), DOCUMENTS,
                RateLimiterStrategy.perSecond(perSecond), PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    private void assertEveryDocumentOnceWithItsStatus() throws IOException {
        for (int i = 0; i < DOCUMENTS; i++) {
            String jobId = "job-" + i;
            List<Path> files = listFiles(out.resolve(jobId));
            assertThat(files).as(jobId).hasSize(1);
            assertThat(files.get(0).getFileName().toString()).isEqualTo(jobId + ".de.md");
            assertThat(new String(Files.readAllBytes(files.get(0)), StandardCharsets.UTF_8))
                    .isEqualTo(documentText(jobId));
        }
        List<String> statuses = lines(out.resolve(OutputSinks.STATUS_DIR));
        assertThat(statuses).as("one status per document, the COMPLETE ones naming their file").hasSize(DOCUMENTS)
                .allMatch(line -> line.startsWith("{\"jobId\":\"job-"));
        for (String line : statuses) {
            JobStatus status = JsonLines.fromLine(line, JobStatus.class);
            assertThat(Paths.get(URI.create(status.outputPath))).as(status.jobId).exists()
                    .isEqualTo(out.resolve(status.jobId).resolve(status.jobId + ".de.md"));
        }
        assertThat(lines(out.resolve(OutputSinks.DEAD_LETTER_DIR))).containsExactly("{\"reason\":\"test\",\"raw\":\"job-0\"}");
        try (Stream<Path> all = Files.walk(out)) {
            assertThat(all.filter(p -> p.getFileName().toString().startsWith("."))).as("in-progress files").isEmpty();
        }
    }

    private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

    /** Fails the job once, after a checkpoint has committed some documents, to replay the rest. */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<byte[], byte[]> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        private transient boolean checkpointed;

        @Override
        public byte[] map(byte[] record) {
            if (checkpointed && FAILED_ONCE.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure");
            }
            return record;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }

    /**
     * Polls the output while the job runs: every COMPLETE status line it sees must name a file
     * that is already there.
     */
    static final class StatusWatcher implements Runnable {
        private final Path out;
        private final Thread thread = new Thread(this, "status-watcher");
        private volatile boolean running = true;
        final List<String> statusesSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> statusesSeenBeforeTheirFile = new java.util.concurrent.CopyOnWriteArrayList<>();

        StatusWatcher(Path out) {
            this.out = out;
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        @Override
        public void run() {
            while (running) {
                try {
                    for (String line : lines(out.resolve(OutputSinks.STATUS_DIR))) {
                        JobStatus status = JsonLines.fromLine(line, JobStatus.class);
                        if (status.outputPath != null && !statusesSeen.contains(status.jobId)) {
                            statusesSeen.add(status.jobId);
                            if (!Files.exists(Paths.get(URI.create(status.outputPath)))) {
                                statusesSeenBeforeTheirFile.add(status.jobId);
                            }
                        }
                    }
                    Thread.sleep(2);
                } catch (IOException | RuntimeException racingTheSink) {
                    // A file committed (renamed) while being listed: look again.
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static TranslationJob.Outputs fakeOutputs(DataStream<byte[]> records, JobConfig config) {
        DataStream<String> jobIds = records.map(b -> new String(b, StandardCharsets.UTF_8)).returns(Types.STRING);
        String base = config.get(OutputOptions.PATH);
        return new TranslationJob.Outputs(
                jobIds.map(id -> new DocumentFile(id, id + ".de.md", documentText(id), "{\"jobId\":\"" + id
                        + "\",\"outcome\":\"COMPLETE\",\"outputPath\":\""
                        + DocumentNames.outputPath(base, id, id + ".de.md") + "\"}")).returns(DocumentFile.class),
                jobIds.filter(id -> false).returns(Types.STRING),
                jobIds.filter(id -> id.equals("job-0")).map(id -> "{\"reason\":\"test\",\"raw\":\"" + id + "\"}")
                        .returns(Types.STRING), null);
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
