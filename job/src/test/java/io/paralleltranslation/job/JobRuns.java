package io.paralleltranslation.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.gemini.emulator.PseudoTranslator;
import io.paralleltranslation.job.config.DynamoDbOptions;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.JobOptions;
import io.paralleltranslation.job.sink.OutputSinks;
import io.paralleltranslation.job.source.KinesisSourceFactory;
import io.paralleltranslation.job.submit.Chunker;
import io.paralleltranslation.job.submit.Submissions;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.DeadLetter;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.JsonLines;
import io.paralleltranslation.operators.translate.QuotaLimiterFactory;
import io.paralleltranslation.ratelimit.InMemoryQuotaStore;
import io.paralleltranslation.ratelimit.QuotaConfig;
import io.paralleltranslation.ratelimit.QuotaLimiter;
import io.paralleltranslation.ratelimit.SharedQuotaLimiters;
import io.paralleltranslation.ratelimit.WindowQuotaLimiter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * What the job's ITCases share: their MiniCluster, starting the job as {@code main} wires it and
 * waiting for what it committed, reading those outputs, and generated documents with the
 * emulator's expected pseudo-translation.
 */
final class JobRuns {
    static final String LANG = "de";
    static final int CHUNK_TOKENS = 30;
    static final Duration OUTPUT_WAIT = Duration.ofSeconds(90);

    private JobRuns() {}

    /** One TaskManager with two slots, no cancellation watchdog. */
    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2).setConfiguration(noCancellationWatchdog()).build());
    }

    /**
     * The legacy Kinesis consumer's shard threads can outlive a cancelled task (stop with a
     * savepoint, an injected failure); Flink's watchdog then kills the one TaskManager after
     * task.cancellation.timeout (180 s), failing whichever test runs then.
     */
    private static Configuration noCancellationWatchdog() {
        Configuration c = new Configuration();
        c.set(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT, Duration.ZERO);
        return c;
    }

    /** What a run wrote, read from the committed files. */
    static final class Outputs {
        final Map<String, String> documents = new HashMap<>();
        final Map<String, String> partials = new HashMap<>();
        final List<JobStatus> statuses = new ArrayList<>();
        /** jobId to the document's file. */
        final Map<String, Path> documentFiles = new HashMap<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();

        /** The final record (COMPLETE, FAILED, INCOMPLETE) of each job; fails on a second one. */
        Map<String, JobStatus> finals() {
            return statuses.stream().filter(s -> s.outcome.isFinal()).collect(Collectors.toMap(s -> s.jobId, s -> s));
        }
    }

    @FunctionalInterface
    interface Done {
        boolean test(Outputs outputs);
    }

    /** Runs the job until {@code done} holds for its committed outputs (bounded), then cancels it. */
    static Outputs run(Map<String, String> settings, Done done) throws Exception {
        JobClient job = start(settings, TranslationJob.operatorStages());
        try {
            return await(settings, job, done, OUTPUT_WAIT.plusSeconds(60));
        } finally {
            cancel(job);
        }
    }

    /**
     * Cancels the job and waits until it has ended. {@code cancel()} completes when the request is
     * acknowledged, while the tasks may still be closing (the translate operator waits for its calls
     * in flight and their cache writes) and hold both slots of the one TaskManager: a job submitted
     * then is refused its slots at once by the standalone slot manager
     * (NoResourceAvailableException) and, with no restarts, fails within a fraction of a second.
     */
    static void cancel(JobClient job) throws Exception {
        if (!job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        awaitEnd(job);
    }

    private static void awaitEnd(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job did not end within 60 s: " + job.getJobStatus().get());
            }
            Thread.sleep(50);
        }
    }

    static JobClient start(Map<String, String> settings, TranslationJob.Stages stages) throws Exception {
        JobConfig config = JobConfig.of(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                TranslationJob.flinkConfiguration(config));
        env.setParallelism(config.get(JobOptions.PARALLELISM));
        TranslationJob.build(env, config, KinesisSourceFactory::addTo, stages);
        return env.executeAsync(config.get(DynamoDbOptions.QUOTA_SCOPE));
    }

    /** Waits until {@code done} holds for the committed outputs; fails after {@code wait} or if the job ends. */
    static Outputs await(Map<String, String> settings, JobClient job, Done done, Duration wait) throws Exception {
        Path output = outputDirectory(settings);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Outputs outputs = read(output);
            if (done.test(outputs)) {
                return outputs;
            }
            if (System.nanoTime() > deadline || job.getJobStatus().get().isGloballyTerminalState()) {
                throw new AssertionError("outputs not complete (job " + job.getJobStatus().get() + "): "
                        + outputs.documents.keySet() + " " + outputs.statuses + " " + outputs.deadLetters,
                        failureOf(job));
            }
            Thread.sleep(250);
        }
    }

    /** Lets the job run for {@code time}; fails, with the job's own failure, if it ends meanwhile. */
    static void keepRunning(JobClient job, Duration time) throws Exception {
        long until = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < until) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                throw new AssertionError("job ended: " + job.getJobStatus().get(), failureOf(job));
            }
            Thread.sleep(250);
        }
    }

    /**
     * Stops the job with a savepoint under {@code savepoints}; returns its path. A job that already
     * ended cannot be stopped (the dispatcher no longer knows it: FlinkJobNotFoundException): that
     * is reported with the job's own failure instead of hiding it.
     */
    static String stopWithSavepoint(JobClient job, Path savepoints) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            throw new AssertionError("job ended before its savepoint: " + job.getJobStatus().get(), failureOf(job));
        }
        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        awaitEnd(job);
        return savepoint;
    }

    /** Why a job that ended failed, or null while it runs or when it did not fail. */
    private static Throwable failureOf(JobClient job) {
        try {
            if (job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
            }
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    static Path outputDirectory(Map<String, String> settings) {
        return Path.of(URI.create(settings.get("output.path")));
    }

    static Outputs read(Path output) throws IOException {
        Outputs o = new Outputs();
        if (!Files.isDirectory(output)) {
            return o;
        }
        try (Stream<Path> files = Files.walk(output)) {
            for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                if (f.getFileName().toString().startsWith(".")) {
                    continue; // in progress or pending: not committed yet
                }
                String dirName = output.relativize(f).getName(0).toString();
                String content = Files.readString(f);
                if (dirName.equals(OutputSinks.STATUS_DIR)) {
                    for (String line : content.split("\n")) {
                        if (!line.isEmpty()) {
                            o.statuses.add(JsonLines.fromLine(line, JobStatus.class));
                        }
                    }
                } else if (dirName.equals(OutputSinks.DEAD_LETTER_DIR)) {
                    for (String line : content.split("\n")) {
                        if (!line.isEmpty()) {
                            o.deadLetters.add(JsonLines.fromLine(line, DeadLetter.class));
                        }
                    }
                } else if (dirName.equals(OutputSinks.PARTIAL_DIR)) {
                    if (o.partials.put(output.relativize(f).getName(1).toString(), content) != null) {
                        throw new AssertionError("two partial files for document " + f.getParent());
                    }
                } else if (o.documents.put(dirName, content) != null) {
                    throw new AssertionError("two files for document " + dirName);
                } else {
                    o.documentFiles.put(dirName, f);
                }
            }
        }
        return o;
    }

    /** Chunk records of a generated document of exactly {@code chunks} chunks, as the submit tool makes them. */
    static List<ChunkRecord> chunks(String jobId, int chunks) {
        List<ChunkRecord> records = chunks(document(jobId, chunks), jobId, CHUNK_TOKENS);
        assertThat(records).hasSize(chunks);
        return records;
    }

    static List<ChunkRecord> chunks(String text, String jobId, int chunkTokens) {
        return Submissions.chunkRecords(text, jobId, jobId + ".md", LANG, chunkTokens);
    }

    static String textOf(List<ChunkRecord> records) {
        return records.stream().map(r -> r.text).collect(Collectors.joining());
    }

    /**
     * A Markdown document of exactly {@code chunks} chunks at {@link #CHUNK_TOKENS}: a heading and
     * paragraphs of one to four sentences, so some chunks end at a paragraph (a blank line) and
     * some inside one (a space).
     */
    static String document(String topic, int chunks) {
        Random random = new Random(topic.hashCode());
        StringBuilder text = new StringBuilder("# Über " + topic + "\n\n");
        int sentence = 0;
        while (new Chunker(CHUNK_TOKENS, Locale.ROOT).split(text.toString()).size() <= chunks) {
            int sentences = 1 + random.nextInt(4);
            for (int i = 0; i < sentences; i++) {
                text.append("Satz ").append(sentence++).append(" über ").append(topic)
                        .append(" erklärt, warum Übersetzung ").append(random.nextInt(1000)).append(" zählt.")
                        .append(i + 1 < sentences ? " " : "\n\n");
            }
        }
        List<int[]> ranges = new Chunker(CHUNK_TOKENS, Locale.ROOT).split(text.toString());
        String doc = text.substring(0, ranges.get(chunks - 1)[1]);
        assertThat(new Chunker(CHUNK_TOKENS, Locale.ROOT).split(doc)).hasSize(chunks);
        return doc;
    }

    /** The emulator's pseudo-translation of each chunk, between the chunk's own edge whitespace. */
    static String expectedTranslation(String source) {
        StringBuilder expected = new StringBuilder();
        for (String chunk : Submissions.chunkTexts(new Chunker(CHUNK_TOKENS, Locale.ROOT), source)) {
            String body = chunk.strip();
            int start = chunk.indexOf(body);
            expected.append(chunk, 0, start).append(PseudoTranslator.pseudoTranslate(chunk, LANG).strip())
                    .append(chunk.substring(start + body.length()));
        }
        return expected.toString();
    }

    /** One in-memory limiter per JVM on the test's clock, shared by translate and reassembly (as the DynamoDB one is). */
    static final class ClockedInMemoryLimiters implements QuotaLimiterFactory {
        private static final long serialVersionUID = 1L;
        private final String scope;
        private final long rpd;
        private final ZoneId zone;
        private final Clock clock;

        ClockedInMemoryLimiters(String scope, long rpd, ZoneId zone, Clock clock) {
            this.scope = scope;
            this.rpd = rpd;
            this.zone = zone;
            this.clock = clock;
        }

        @Override
        public QuotaLimiter create() {
            QuotaConfig quota = QuotaConfig.builder(scope).requestsPerMinute(1_000).inputTokensPerMinute(10_000_000)
                    .requestsPerDay(rpd).zone(zone).build();
            return SharedQuotaLimiters.get("it-" + scope, () -> WindowQuotaLimiter
                    .builder(new InMemoryQuotaStore(), quota).clock(clock).build());
        }
    }
}
