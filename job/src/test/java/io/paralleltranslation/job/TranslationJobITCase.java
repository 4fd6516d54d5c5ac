package io.paralleltranslation.job;

import static io.paralleltranslation.job.JobRuns.CHUNK_TOKENS;
import static io.paralleltranslation.job.JobRuns.LANG;
import static io.paralleltranslation.job.JobRuns.OUTPUT_WAIT;
import static io.paralleltranslation.job.JobRuns.await;
import static io.paralleltranslation.job.JobRuns.cancel;
import static io.paralleltranslation.job.JobRuns.chunks;
import static io.paralleltranslation.job.JobRuns.document;
import static io.paralleltranslation.job.JobRuns.expectedTranslation;
import static io.paralleltranslation.job.JobRuns.read;
import static io.paralleltranslation.job.JobRuns.run;
import static io.paralleltranslation.job.JobRuns.start;
import static io.paralleltranslation.job.JobRuns.textOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.paralleltranslation.gemini.emulator.EmulatorStats;
import io.paralleltranslation.gemini.emulator.Fault;
import io.paralleltranslation.gemini.emulator.FaultPlan;
import io.paralleltranslation.gemini.emulator.GeminiEmulator;
import io.paralleltranslation.gemini.emulator.LatencyModel;
import io.paralleltranslation.gemini.emulator.QuotaLimits;
import io.paralleltranslation.gemini.emulator.RequestLogEntry;
import io.paralleltranslation.job.JobRuns.Outputs;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.JobOptions;
import io.paralleltranslation.job.config.OutputOptions;
import io.paralleltranslation.job.sink.DocumentNames;
import io.paralleltranslation.job.source.KinesisSourceFactory;
import io.paralleltranslation.job.submit.Chunker;
import io.paralleltranslation.job.submit.Submissions;
import io.paralleltranslation.job.translate.GeminiClientFactory;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.translate.QuotaLimiterFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole job as {@code main} wires it (the real Kinesis source, Gemini client and DynamoDB
 * limiter) on a MiniCluster, against kinesis-local, dynalite and the Gemini emulator, started once
 * for the class. Records are put with the submit tool's code; outputs are read back from the files
 * the FileSinks commit at each checkpoint (every second here); the unbounded job is then cancelled.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TranslationJobITCase {
    private static final Logger LOG = LoggerFactory.getLogger(TranslationJobITCase.class);

    @RegisterExtension
    static final JobStandIns STAND_INS = new JobStandIns();
    private static final KinesisStandIn KINESIS = STAND_INS.kinesis();

    @TempDir
    Path dir;

    @Test
    @Order(1)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void translatesDocumentsWholeAndReportsMissingFailedDuplicateAndPoisonedRecords() throws Exception {
        String arn = KINESIS.createStream("whole", 2);
        // Five documents at once, two of them 10 and 60 chunks long, put by the submit tool.
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("ten.md", document("ten", 10));
        texts.put("sixty.md", document("sixty", 60));
        texts.put("three.md", document("three", 3));
        texts.put("five.md", document("five", 5));
        texts.put("eight.md", document("eight", 8));
        List<String> args = new ArrayList<>(Arrays.asList("--stream", arn, "--endpoint", KINESIS.endpoint(),
                "--target-lang", LANG, "--chunk-tokens", Integer.toString(CHUNK_TOKENS)));
        for (Map.Entry<String, String> t : texts.entrySet()) {
            args.add(Files.writeString(dir.resolve(t.getKey()), t.getValue()).toString());
        }
        List<String> jobIds = Submissions.submit(args.toArray(new String[0]));
        Map<String, String> textByJob = new HashMap<>();
        List<String> names = new ArrayList<>(texts.keySet());
        for (int i = 0; i < names.size(); i++) {
            textByJob.put(jobIds.get(i), texts.get(names.get(i)));
        }
        // A chunk never sent, a chunk the model refuses, duplicates, a record that is not JSON.
        List<ChunkRecord> gap = chunks("gap", 4);
        Submissions.putChunks(KINESIS.client(), arn, Arrays.asList(gap.get(0), gap.get(1), gap.get(3)));
        List<ChunkRecord> refused = chunks("refused", 3);
        refused.get(1).text = refused.get(1).text.replaceFirst(" ", " " + Fault.SAFETY.marker() + " ");
        Submissions.putChunks(KINESIS.client(), arn, refused);
        List<ChunkRecord> repeated = chunks("repeated", 4);
        Submissions.putChunks(KINESIS.client(), arn, repeated);
        Submissions.putChunks(KINESIS.client(), arn, Arrays.asList(repeated.get(0), repeated.get(3), repeated.get(0)));
        byte[] poison = "{\"jobId\":\"poison\",\"chunkIndex\":".getBytes(StandardCharsets.UTF_8);
        Submissions.put(KINESIS.client(), arn, List.of(poison));

        Map<String, String> settings = settings(arn, "whole", 2, 10);
        settings.put("translate.inactivity-timeout", "4s");
        Outputs out = run(settings, o -> o.finals().size() >= 8 && o.deadLetters.size() >= 1
                && o.partials.size() >= 2);

        Map<String, JobStatus> status = out.finals();
        assertThat(status).hasSize(8);
        for (String jobId : jobIds) {
            String source = textByJob.get(jobId);
            assertThat(status.get(jobId).outcome).as(jobId).isEqualTo(JobOutcome.COMPLETE);
            assertThat(status.get(jobId).geminiCalls).as(jobId).isEqualTo(status.get(jobId).totalChunks);
            assertThat(out.documents.get(jobId)).as(jobId).isEqualTo(expectedTranslation(source));
            // Named after the source, and the status says where.
            assertThat(Paths.get(URI.create(status.get(jobId).outputPath))).as(jobId)
                    .isEqualTo(out.documentFiles.get(jobId));
            assertThat(out.documentFiles.get(jobId).getFileName().toString()).as(jobId)
                    .isEqualTo(DocumentNames.fileName(status.get(jobId).source, LANG));
        }
        assertThat(out.documentFiles.get(jobIds.get(0)).getFileName().toString()).isEqualTo("ten.de.md");
        for (String jobId : jobIds) {
            // Priced at gemini-2.5-flash's default (0.30/2.50 USD per million), each chunk rounded to micro-dollars.
            JobStatus s = status.get(jobId);
            assertThat(s.estimatedCostUsd.signum()).as(jobId).isPositive();
            assertThat(s.estimatedCostUsd.doubleValue()).as(jobId).isCloseTo(
                    (s.inputTokens * 0.30 + s.outputTokens * 2.50) / 1e6, within(s.totalChunks * 0.5e-6));
            assertThat(s.callsSavedByDuplicates).as(jobId).isZero();
        }
        assertThat(status.get(jobIds.get(0)).totalChunks).isEqualTo(10);
        assertThat(status.get(jobIds.get(1)).totalChunks).isEqualTo(60);

        assertThat(status.get("gap").outcome).isEqualTo(JobOutcome.INCOMPLETE);
        assertThat(status.get("gap").missingIndices).containsExactly(2);
        assertThat(out.documents).doesNotContainKey("gap");
        assertThat(status.get("gap").outputPath).isNull();
        assertThat(out.partials.get("gap")).contains("[[parallel-translation: MISSING CHUNK index=2 of=4 MISSING: ")
                .doesNotContain("index=0").doesNotContain("index=1").doesNotContain("index=3");

        assertThat(status.get("refused").outcome).isEqualTo(JobOutcome.FAILED);
        assertThat(status.get("refused").failedChunks).singleElement().satisfies(f -> {
            assertThat(f.chunkIndex).isEqualTo(1);
            assertThat(f.reason).contains("SAFETY");
        });
        assertThat(out.documents).doesNotContainKey("refused");
        assertThat(out.partials.get("refused")).contains("[[parallel-translation: MISSING CHUNK index=1 of=3 FAILED: ")
                .contains("SAFETY");
        assertThat(out.partials).containsOnlyKeys("gap", "refused");

        assertThat(status.get("repeated").outcome).isEqualTo(JobOutcome.COMPLETE);
        assertThat(status.get("repeated").geminiCalls).isEqualTo(4);
        assertThat(status.get("repeated").callsSavedByDuplicates).as("duplicate records dropped before a call")
                .isEqualTo(3);
        assertThat(out.documents.get("repeated")).isEqualTo(expectedTranslation(textOf(repeated)));
        EmulatorStats stats = STAND_INS.emulator().stats();
        for (ChunkRecord r : repeated) {
            assertThat(stats.log.stream().filter(e -> r.text.equals(e.text)).count()).as("calls for " + r)
                    .isEqualTo(1);
        }

        assertThat(out.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.stage).isEqualTo("parse");
            assertThat(d.rawBytes()).isEqualTo(poison);
        });
    }

    @Test
    @Order(2)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void parallelAndSequentialRunsWriteIdenticalDocumentsAndSendEachChunkItsOwnContext() throws Exception {
        String text = document("order", 60);
        Path file = Files.writeString(dir.resolve("order.md"), text);
        Map<String, byte[]> files = new HashMap<>();
        for (int[] shape : new int[][] {{2, 10}, {1, 1}}) {
            String name = "order-p" + shape[0] + "-c" + shape[1];
            String arn = KINESIS.createStream(name, 2);
            String jobId = Submissions.submit("--stream", arn, "--endpoint", KINESIS.endpoint(), "--target-lang",
                    LANG, "--chunk-tokens", Integer.toString(CHUNK_TOKENS), "--job-id", name, file.toString()).get(0);
            Outputs out = run(settings(arn, name, shape[0], shape[1]), o -> o.documents.containsKey(jobId));
            files.put(name, out.documents.get(jobId).getBytes(StandardCharsets.UTF_8));
        }

        assertThat(files.get("order-p2-c10")).isEqualTo(files.get("order-p1-c1"))
                .isEqualTo(expectedTranslation(text).getBytes(StandardCharsets.UTF_8));
        List<ChunkRecord> records = chunks(text, "order", CHUNK_TOKENS);
        assertThat(records).hasSize(60);
        List<RequestLogEntry> log = STAND_INS.emulator().stats().log;
        for (ChunkRecord r : records) {
            List<RequestLogEntry> calls = log.stream().filter(e -> r.text.equals(e.text)).collect(Collectors.toList());
            assertThat(calls).as("calls for chunk " + r.chunkIndex).hasSize(2).allSatisfy(e ->
                    assertThat(e.context == null ? "" : e.context).isEqualTo(r.previousContext));
        }
    }

    /**
     * Demand far above a quota of {@value #QUOTA_RPM} RPM that the emulator enforces too: the first
     * minute's requests go at once and the next ones only when the limiter's window frees them, 62 s
     * later (61 slots plus the 1 s arrival margin), so the emulator sees the quota used fully and
     * never exceeded.
     */
    @Test
    @Order(3)
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void usesTheQuotaToTheFullWithoutA429() throws Exception {
        try (GeminiEmulator limited = GeminiEmulator.builder().apiKey("test-key")
                .limits(new QuotaLimits(QUOTA_RPM, 10_000_000, 1_000_000)).latency(LatencyModel.fixed(300))
                .start()) {
            String arn = KINESIS.createStream("quota", 2);
            List<String> args = new ArrayList<>(Arrays.asList("--stream", arn, "--endpoint", KINESIS.endpoint(),
                    "--target-lang", LANG, "--chunk-tokens", Integer.toString(CHUNK_TOKENS)));
            for (int d = 0; d < 4; d++) {
                args.add(Files.writeString(dir.resolve("q" + d + ".md"), document("q" + d, 30)).toString());
            }
            Submissions.submit(args.toArray(new String[0]));
            Map<String, String> settings = settings(arn, "quota", 2, 10);
            settings.put("gemini.base-url", limited.baseUrl());
            settings.put("quota.rpm", Integer.toString(QUOTA_RPM));
            settings.put("quota.tpm", "10000000");
            settings.put("quota.rpd", "1000000");

            long started = System.nanoTime();
            // Judged at arrival on a loaded machine: busy threads on every core compete with the job.
            AtomicBoolean burning = new AtomicBoolean(true);
            List<Thread> burners = new ArrayList<>();
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                Thread burner = new Thread(() -> {
                    long x = 0;
                    while (burning.get()) {
                        x += System.nanoTime() % 7;
                    }
                    LOG.trace("burned {}", x);
                }, "cpu-burner-" + i);
                burner.setDaemon(true);
                burner.start();
                burners.add(burner);
            }
            try {
                // The second minute's grants start ~62 s after the first; stop once they have gone out.
                run(settings, o -> limited.stats().requests >= 2 * QUOTA_RPM
                        || System.nanoTime() - started > Duration.ofSeconds(100).toNanos());
            } finally {
                burning.set(false);
            }
            EmulatorStats stats = limited.stats();
            // The closest two requests RPM apart arrived: 60 s or more means no minute held more than
            // RPM; the full-window period is 61 s + margin, so what it falls short of that is spread.
            List<Long> arrivals = new ArrayList<>();
            stats.log.forEach(e -> arrivals.add(e.timeMillis));
            Collections.sort(arrivals);
            long closest = Long.MAX_VALUE;
            for (int i = 0; i + QUOTA_RPM < arrivals.size(); i++) {
                closest = Math.min(closest, arrivals.get(i + QUOTA_RPM) - arrivals.get(i));
            }
            LOG.info("Quota run (loaded: {} burner threads): {} requests in {} s, largest 60 s window {} of {} RPM, "
                    + "closest requests {} apart {} ms (62,000 ms with no spread), statuses {}", burners.size(),
                    stats.requests, (System.nanoTime() - started) / 1_000_000_000,
                    stats.maxRequestsInAnyWindow(EmulatorStats.Scope.ALL), QUOTA_RPM, QUOTA_RPM, closest,
                    stats.byStatus);

            assertThat(stats.requests).as("demand exceeded one minute's quota").isGreaterThan(QUOTA_RPM);
            assertThat(stats.count(429)).as("429s at the emulator: %s", stats.byQuotaId).isZero();
            assertThat(stats.maxRequestsInAnyWindow(EmulatorStats.Scope.ALL))
                    .isBetween((int) Math.ceil(0.9 * QUOTA_RPM), QUOTA_RPM);
        }
    }

    private static final int QUOTA_RPM = 40;

    /** A user submits the same document again: every chunk comes from the cache, no call is paid. */
    @Test
    @Order(4)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void anIdenticalResubmissionCostsNoCall() throws Exception {
        String text = document("again", 12);
        Path file = Files.writeString(dir.resolve("again.md"), text);
        String firstArn = KINESIS.createStream("again-1", 2);
        String first = Submissions.submit("--stream", firstArn, "--endpoint", KINESIS.endpoint(), "--target-lang", LANG,
                "--chunk-tokens", Integer.toString(CHUNK_TOKENS), file.toString()).get(0);
        run(settings(firstArn, "again", 2, 10), o -> o.documents.containsKey(first));
        int callsBefore = STAND_INS.emulator().stats().requests;

        String secondArn = KINESIS.createStream("again-2", 2);
        String second = Submissions.submit("--stream", secondArn, "--endpoint", KINESIS.endpoint(), "--target-lang",
                LANG, "--chunk-tokens", Integer.toString(CHUNK_TOKENS), file.toString()).get(0);
        Outputs out = run(settings(secondArn, "again", 2, 10), o -> o.documents.containsKey(second)
                && o.finals().containsKey(second));

        assertThat(second).isNotEqualTo(first);
        assertThat(STAND_INS.emulator().stats().requests - callsBefore).as("calls for the resubmission").isZero();
        JobStatus status = out.finals().get(second);
        assertThat(status.outcome).isEqualTo(JobOutcome.COMPLETE);
        assertThat(status.chunksFromCache).isEqualTo(12);
        assertThat(status.geminiCalls).isZero();
        assertThat(out.documents.get(second)).isEqualTo(expectedTranslation(text));
    }

    /**
     * One chunk refused for good: the document is FAILED and its partial output has every other
     * chunk; the rerun ({@code submit --rerun}) completes it with exactly one new call.
     */
    @Test
    @Order(5)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aRerunOfAFailedDocumentPaysOnlyForTheFailedChunk() throws Exception {
        FaultPlan faults = new FaultPlan(5).next(1, Fault.SAFETY);
        try (GeminiEmulator refusing = GeminiEmulator.builder().apiKey("test-key").faults(faults)
                .latency(new LatencyModel(20, 0, 20)).start()) {
            String text = document("rerun", 8);
            Path file = Files.writeString(dir.resolve("rerun.md"), text);
            String firstArn = KINESIS.createStream("rerun-1", 2);
            String first = Submissions.submit("--stream", firstArn, "--endpoint", KINESIS.endpoint(), "--target-lang",
                    LANG, "--chunk-tokens", Integer.toString(CHUNK_TOKENS), file.toString()).get(0);
            Map<String, String> settings = settings(firstArn, "rerun", 2, 10);
            settings.put("gemini.base-url", refusing.baseUrl());
            Outputs failed = run(settings, o -> o.finals().containsKey(first) && o.partials.containsKey(first));

            JobStatus status = failed.finals().get(first);
            assertThat(status.outcome).isEqualTo(JobOutcome.FAILED);
            assertThat(status.failedChunks).hasSize(1);
            int refused = status.failedChunks[0].chunkIndex;
            assertThat(status.failedChunks[0].reason).contains("SAFETY");
            assertThat(failed.documents).doesNotContainKey(first);
            String partial = failed.partials.get(first);
            assertThat(partial).contains("[[parallel-translation: MISSING CHUNK index=" + refused + " of=8 FAILED: ");
            List<String> sourceChunks = Submissions.chunkTexts(new Chunker(CHUNK_TOKENS, Locale.ROOT), text);
            for (int i = 0; i < sourceChunks.size(); i++) {
                if (i != refused) {
                    assertThat(partial).contains(expectedTranslation(sourceChunks.get(i)).strip());
                }
            }
            int callsBefore = refusing.stats().requests;
            assertThat(callsBefore).isEqualTo(8);

            String secondArn = KINESIS.createStream("rerun-2", 2);
            String second = Submissions.submit("--stream", secondArn, "--endpoint", KINESIS.endpoint(),
                    "--target-lang", LANG, "--chunk-tokens", Integer.toString(CHUNK_TOKENS), "--rerun", first,
                    file.toString()).get(0);
            Map<String, String> rerunSettings = settings(secondArn, "rerun", 2, 10);
            rerunSettings.put("gemini.base-url", refusing.baseUrl());
            Outputs rerun = run(rerunSettings, o -> o.documents.containsKey(second) && o.finals().containsKey(second));

            assertThat(second).startsWith(first + ".rerun-");
            assertThat(refusing.stats().requests - callsBefore).as("calls for the rerun").isEqualTo(1);
            assertThat(rerun.finals().get(second).outcome).isEqualTo(JobOutcome.COMPLETE);
            assertThat(rerun.finals().get(second).chunksFromCache).isEqualTo(7);
            assertThat(rerun.documents.get(second)).isEqualTo(expectedTranslation(text));
        }
    }

    private static final AtomicBoolean TASK_FAILED = new AtomicBoolean();

    /**
     * A task failure mid-document, after chunks were translated past the last checkpoint: the job
     * restores the checkpoint and replays them, and the cache answers the replay. Every document is
     * written once and the emulator sees one call per chunk.
     */
    @Test
    @Order(6)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aFailoverReplaysFromTheCacheSoEveryChunkIsPaidOnce(@InjectClusterClient ClusterClient<?> cluster)
            throws Exception {
        String arn = KINESIS.createStream("failover", 2);
        List<ChunkRecord> x = chunks("failover-x", 10);
        List<ChunkRecord> y = chunks("failover-y", 3);
        Map<String, String> settings = settings(arn, "failover", 2, 10);
        // Checkpoints only when the test triggers them, so it knows what the restore rolls back.
        settings.put("job.checkpoint-interval", "1h");
        settings.put("job.restart-strategy", "FIXED_DELAY");
        settings.put("job.restart-attempts", "2");
        settings.put("job.restart-delay", "1s");
        JobConfig config = JobConfig.of(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                TranslationJob.flinkConfiguration(config));
        env.setParallelism(config.get(JobOptions.PARALLELISM));
        TASK_FAILED.set(false);
        TranslationJob.build(env, config, KinesisSourceFactory::addTo, (records, c) ->
                TranslationJob.operatorStages().apply(records.map(new FailOnceOn("failover-x", 7))
                        .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO).name("fail-once"), c));
        JobClient job = env.executeAsync("failover");
        Path output = Path.of(java.net.URI.create(config.get(OutputOptions.PATH)));
        int callsBefore = STAND_INS.emulator().stats().requests;
        try {
            // A: chunks 0-3, then a checkpoint that holds their results.
            Submissions.putChunks(KINESIS.client(), arn, x.subList(0, 4));
            awaitCalls(callsBefore + 4);
            Thread.sleep(1_000);
            long checkpoint = cluster.triggerCheckpoint(job.getJobID(), CheckpointType.DEFAULT).get(60, TimeUnit.SECONDS);
            LOG.info("Checkpoint {} holds chunks 0-3 of failover-x", checkpoint);
            // B: chunks 4-6 and all of Y, translated after that checkpoint (Y is even emitted).
            List<ChunkRecord> b = new ArrayList<>(x.subList(4, 7));
            b.addAll(y);
            Submissions.putChunks(KINESIS.client(), arn, b);
            awaitCalls(callsBefore + 10);
            Thread.sleep(1_000);
            // Chunk 7 fails the task once, with no call in flight; the restore rolls B back and reads it again.
            Submissions.putChunks(KINESIS.client(), arn, x.subList(7, 8));
            long failedBy = System.nanoTime() + OUTPUT_WAIT.toNanos();
            while (!TASK_FAILED.get() && System.nanoTime() < failedBy) {
                Thread.sleep(100);
            }
            // Chunks 8-9 only once the restarted job runs: the failed attempt's tasks must not read them.
            Thread.sleep(config.get(JobOptions.RESTART_DELAY).toMillis());
            while (job.getJobStatus().get() != org.apache.flink.api.common.JobStatus.RUNNING
                    && System.nanoTime() < failedBy) {
                Thread.sleep(100);
            }
            Submissions.putChunks(KINESIS.client(), arn, x.subList(8, 10));
            Outputs out;
            long deadline = System.nanoTime() + OUTPUT_WAIT.toNanos();
            while (true) {
                out = read(output);
                if (out.finals().size() >= 2 && out.documents.size() >= 2) {
                    break;
                }
                if (System.nanoTime() > deadline || job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new AssertionError("outputs not complete (job " + job.getJobStatus().get() + "): "
                            + out.documents.keySet() + " " + out.statuses);
                }
                if (job.getJobStatus().get() == org.apache.flink.api.common.JobStatus.RUNNING) {
                    try {
                        cluster.triggerCheckpoint(job.getJobID(), CheckpointType.DEFAULT).get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException notRunningYet) {
                        LOG.info("Checkpoint not taken yet: {}", notRunningYet.getCause().toString());
                    }
                }
                Thread.sleep(500);
            }
            Thread.sleep(2_000);
            out = read(output);

            assertThat(TASK_FAILED).as("the task failed once").isTrue();
            Map<String, JobStatus> status = out.finals();
            int calls = STAND_INS.emulator().stats().requests - callsBefore;
            LOG.info("Failover run: {} chunks, {} Gemini calls, from the cache: x {} of 10, y {} of 3",
                    x.size() + y.size(), calls, status.get("failover-x").chunksFromCache,
                    status.get("failover-y").chunksFromCache);
            assertThat(calls).as("Gemini calls for 13 chunks").isEqualTo(x.size() + y.size());
            assertThat(out.finals()).hasSize(2);
            assertThat(status.get("failover-x").outcome).isEqualTo(JobOutcome.COMPLETE);
            assertThat(status.get("failover-y").outcome).isEqualTo(JobOutcome.COMPLETE);
            // What was translated after the checkpoint (4-6, all of Y) is replayed and served by the cache; so
            // are chunks of 0-3 whose cache write was still under way at the checkpoint (then they are in
            // the async operator's checkpointed queue, issued again on restore).
            assertThat(status.get("failover-x").chunksFromCache).isBetween(3, 7);
            assertThat(status.get("failover-y").chunksFromCache).isEqualTo(3);
            assertThat(status.get("failover-x").geminiCalls + status.get("failover-x").chunksFromCache).isEqualTo(10);
            assertThat(out.documents).containsOnlyKeys("failover-x", "failover-y");
            assertThat(out.documents.get("failover-x")).isEqualTo(expectedTranslation(textOf(x)));
            assertThat(out.documents.get("failover-y")).isEqualTo(expectedTranslation(textOf(y)));
        } finally {
            cancel(job);
        }
    }

    private static void awaitCalls(int calls) throws InterruptedException {
        long deadline = System.nanoTime() + OUTPUT_WAIT.toNanos();
        while (STAND_INS.emulator().stats().requests < calls) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the emulator saw " + STAND_INS.emulator().stats().requests + " calls, not " + calls);
            }
            Thread.sleep(100);
        }
    }

    /** Fails its task once, at the first record of chunk {@code index} of {@code jobId}. */
    static final class FailOnceOn implements MapFunction<byte[], byte[]> {
        private static final long serialVersionUID = 1L;
        private final String jobId;
        private final int index;

        FailOnceOn(String jobId, int index) {
            this.jobId = jobId;
            this.index = index;
        }

        @Override
        public byte[] map(byte[] record) throws IOException {
            ChunkRecord chunk = ChunkRecordCodec.fromJson(record);
            if (chunk.jobId.equals(jobId) && chunk.chunkIndex == index && TASK_FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected task failure at chunk " + index + " of " + jobId);
            }
            return record;
        }
    }

    /**
     * Demand far above the quota (the case): 8 documents of 6 chunks at once against
     * {@value #BACKLOG_RPM} RPM, which the emulator enforces too, with a 5 s inactivity timeout, far
     * shorter than the two quota minutes the backlog needs, i.e. the quota gives ~2 requests per
     * inactivity timeout for 48 chunks of demand. Waiting is not inactivity: every document
     * completes, no 429, one call per chunk. A ninth document whose chunk 2 was never put is reported
     * INCOMPLETE naming it, while the others still wait for quota.
     */
    @Test
    @Order(7)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aBacklogFarAboveTheQuotaCompletesEveryDocumentAndStillFindsAChunkNeverPut() throws Exception {
        try (GeminiEmulator limited = GeminiEmulator.builder().apiKey("test-key")
                .limits(new QuotaLimits(BACKLOG_RPM, 10_000_000, 1_000_000)).latency(LatencyModel.fixed(200))
                .start()) {
            String arn = KINESIS.createStream("backlog", 2);
            Map<String, String> settings = settings(arn, "backlog", 2, 10);
            settings.put("gemini.base-url", limited.baseUrl());
            settings.put("quota.rpm", Integer.toString(BACKLOG_RPM));
            settings.put("quota.tpm", "10000000");
            settings.put("quota.rpd", "1000000");
            settings.put("translate.inactivity-timeout", "5s");

            JobClient job = start(settings, TranslationJob.operatorStages());
            Outputs out;
            List<String> jobIds;
            try {
                // The gap document first, translated at once; then the backlog behind it.
                List<ChunkRecord> gap = chunks("backlog-gap", 4);
                Submissions.putChunks(KINESIS.client(), arn, Arrays.asList(gap.get(0), gap.get(1), gap.get(3)));
                await(settings, job, o -> limited.stats().requests >= 3, Duration.ofSeconds(60));
                List<String> args = new ArrayList<>(Arrays.asList("--stream", arn, "--endpoint", KINESIS.endpoint(),
                        "--target-lang", LANG, "--chunk-tokens", Integer.toString(CHUNK_TOKENS)));
                for (int d = 0; d < 8; d++) {
                    args.add(Files.writeString(dir.resolve("b" + d + ".md"), document("b" + d, 6)).toString());
                }
                jobIds = Submissions.submit(args.toArray(new String[0]));
                out = await(settings, job, o -> o.finals().size() >= 9, Duration.ofSeconds(200));
            } finally {
                cancel(job);
            }
            Map<String, JobStatus> finals = out.finals();
            EmulatorStats stats = limited.stats();
            LOG.info("Backlog run: {} requests, statuses {}, finals {}", stats.requests, stats.byStatus,
                    finals.values());
            for (String jobId : jobIds) {
                assertThat(finals.get(jobId).outcome).as(jobId).isEqualTo(JobOutcome.COMPLETE);
                assertThat(out.documents).containsKey(jobId);
            }
            assertThat(finals.get("backlog-gap").outcome).isEqualTo(JobOutcome.INCOMPLETE);
            assertThat(finals.get("backlog-gap").missingIndices).containsExactly(2);
            long lastComplete = jobIds.stream().mapToLong(j -> finals.get(j).emittedAt).max().getAsLong();
            assertThat(finals.get("backlog-gap").emittedAt).as("found while others still waited for quota")
                    .isLessThan(lastComplete);
            assertThat(stats.count(429)).as("429s: %s", stats.byQuotaId).isZero();
            assertThat(stats.requests).as("one paid call per chunk").isEqualTo(8 * 6 + 3);
            assertThat(out.statuses).filteredOn(s -> s.outcome == JobOutcome.ACCEPTED).hasSize(9);
        }
    }

    private static final int BACKLOG_RPM = 24;


    /**
     * The day's requests spent (RPD {@value #DAY_RPD}, 50 chunks): the limiter and the emulator run
     * on a clock 100 s before midnight in Los Angeles. 30 chunks are translated today, the other 20
     * park without failing or spending retries, their documents say they wait for the daily quota
     * and when it resets, and they are translated once the day turns.
     */
    @Test
    @Order(8)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void whenTheDailyQuotaIsSpentChunksParkUntilTheDayTurns() throws Exception {
        ZoneId la = ZoneId.of("America/Los_Angeles");
        Instant midnight = LocalDate.now(la).plusDays(1).atStartOfDay(la).toInstant();
        Clock clock = Clock.offset(Clock.systemUTC(),
                Duration.between(Instant.now(), midnight.minusSeconds(100)));
        try (GeminiEmulator limited = GeminiEmulator.builder().apiKey("test-key").clock(clock)
                .limits(new QuotaLimits(1_000, 10_000_000, DAY_RPD)).latency(LatencyModel.fixed(100)).start()) {
            String arn = KINESIS.createStream("daily", 2);
            List<String> args = new ArrayList<>(Arrays.asList("--stream", arn, "--endpoint", KINESIS.endpoint(),
                    "--target-lang", LANG, "--chunk-tokens", Integer.toString(CHUNK_TOKENS)));
            for (int d = 0; d < 5; d++) {
                args.add(Files.writeString(dir.resolve("d" + d + ".md"), document("d" + d, 10)).toString());
            }
            List<String> jobIds = Submissions.submit(args.toArray(new String[0]));
            Map<String, String> settings = settings(arn, "daily", 2, 10);
            settings.put("gemini.base-url", limited.baseUrl());
            QuotaLimiterFactory limiters = new JobRuns.ClockedInMemoryLimiters("daily", DAY_RPD, la, clock);

            JobClient job = start(settings, TranslationJob.operatorStages(GeminiClientFactory.from(JobConfig.of(settings)),
                    limiters, clock));
            Outputs out;
            try {
                out = await(settings, job, o -> o.finals().size() >= 5, Duration.ofSeconds(200));
            } finally {
                cancel(job);
            }
            EmulatorStats stats = limited.stats();
            Map<String, JobStatus> finals = out.finals();
            for (String jobId : jobIds) {
                assertThat(finals.get(jobId).outcome).as(jobId).isEqualTo(JobOutcome.COMPLETE);
                assertThat(finals.get(jobId).retries).as(jobId).isZero();
            }
            assertThat(stats.count(429)).as("429s: %s", stats.byQuotaId).isZero();
            assertThat(stats.requests).isEqualTo(50);
            long beforeMidnight = stats.log.stream()
                    .filter(e -> e.timeMillis < midnight.toEpochMilli()).count();
            assertThat(beforeMidnight).as("translated on the first day").isEqualTo(DAY_RPD);
            assertThat(out.statuses).filteredOn(s -> s.outcome == JobOutcome.WAITING_FOR_DAILY_QUOTA)
                    .isNotEmpty().allSatisfy(s -> assertThat(s.resumesAt).isEqualTo(midnight.toEpochMilli()));
        }
    }

    private static final int DAY_RPD = 30;

    private Map<String, String> settings(String streamArn, String scope, int parallelism, int capacity)
            throws IOException {
        return STAND_INS.settings(dir, streamArn, scope, parallelism, capacity);
    }
}
