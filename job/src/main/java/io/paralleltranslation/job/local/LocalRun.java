package io.paralleltranslation.job.local;

import io.paralleltranslation.cache.CacheTable;
import io.paralleltranslation.cli.Cli;
import io.paralleltranslation.cli.Durations;
import io.paralleltranslation.gemini.emulator.EmulatorStats;
import io.paralleltranslation.gemini.emulator.GeminiEmulator;
import io.paralleltranslation.gemini.emulator.LatencyModel;
import io.paralleltranslation.gemini.emulator.QuotaLimits;
import io.paralleltranslation.gemini.emulator.RequestLogEntry;
import io.paralleltranslation.job.TranslationJob;
import io.paralleltranslation.job.config.CacheOptions;
import io.paralleltranslation.job.config.ConfigException;
import io.paralleltranslation.job.config.DynamoDbOptions;
import io.paralleltranslation.job.config.GeminiOptions;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.JobOptions;
import io.paralleltranslation.job.config.KinesisOptions;
import io.paralleltranslation.job.config.OutputOptions;
import io.paralleltranslation.job.config.QuotaOptions;
import io.paralleltranslation.job.config.TranslateOptions;
import io.paralleltranslation.job.submit.KinesisClients;
import io.paralleltranslation.job.submit.RecordPublisher;
import io.paralleltranslation.job.submit.SubmitOptions;
import io.paralleltranslation.job.submit.SubmitTool;
import io.paralleltranslation.localservices.LocalService;
import io.paralleltranslation.localservices.LocalServices;
import io.paralleltranslation.ratelimit.QuotaLimiters;
import io.paralleltranslation.ratelimit.QuotaTable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code bin/run-local}: the whole pipeline on one machine. Starts kinesis-local and dynalite,
 * creates the stream and the quota table, starts the Gemini emulator (unless a real base URL is
 * given), builds the job as {@code TranslationJob.main} does and starts it in a MiniCluster with the
 * web dashboard, driving it through its {@link JobClient}; submits the documents with the submit
 * tool's code, in this JVM; waits for their status records and prints a summary whose last line is
 * the {@code RESULT} line. Everything listens on 127.0.0.1; everything started is stopped.
 *
 * <p>Exit status: 0 every document complete (with {@code --exit-when-done}; without it the run
 * stays up until Ctrl-C), 1 a document did not complete or the job failed, 2 bad arguments.
 */
public final class LocalRun {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRun.class);

    static final String STREAM_NAME = "parallel-translation-chunks";
    private static final String REST_PORT_KEY = JobConfig.FLINK_PREFIX + RestOptions.BIND_PORT.key();
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration JOB_START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How often the output is polled: also the resolution of the commit latency it reports, and
     * part of every run's wall time (half of it on average; a poll lists a few small files).
     */
    private static final long POLL_MILLIS = 25;
    /**
     * Outputs become visible at checkpoints: a document waits half the interval on average, plus
     * the checkpoint. At 1 s that was 0.1-1.1 s of a 10-chunk document's 11 s (docs/benchmarks.md).
     */
    static final String CHECKPOINT_INTERVAL = "250ms";

    private final PrintStream out;
    private final PrintStream err;
    /** What was started, newest first: stopped in reverse order, once. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Duration settingsCheckpointInterval;
    private int restPort;
    /** The job's MiniCluster, read for task states and checkpoint statistics. */
    private LocalFlink flink;
    /** The running job; null until it was submitted. */
    private JobClient job;
    /** Completes when the job has ended (exceptionally unless it finished). */
    private CompletableFuture<JobExecutionResult> jobEnd;
    /** Per complete document: from its emission by the reassembly to its status (after its file) being seen. */
    private final Map<String, Long> commitLatencyMillis = new LinkedHashMap<>();
    /** Per document (by jobId): when its final status was first seen (epoch millis). */
    private final Map<String, Long> visibleAt = new LinkedHashMap<>();
    /** The stand-ins this run started: a dead one stops the run at once, naming its log. */
    private final List<LocalService> standIns = new ArrayList<>();

    LocalRun(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        LocalRun run = new LocalRun(System.out, System.err);
        // Ctrl-C: stop the job, the emulator and the stand-ins (stop() does nothing the second time).
        Runtime.getRuntime().addShutdownHook(new Thread(run::stop, "run-local-shutdown"));
        int status = run.run(args);
        run.stop();
        System.exit(status);
    }

    int run(String[] args) {
        Path root = LocalServices.projectRoot();
        LocalRunOptions options = new LocalRunOptions(root.resolve("samples"), root.resolve("target/local-run/run-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))));
        return Cli.run(options, args, out, err, parsed -> {
            try {
                return run(parsed);
            } catch (LocalService.ServiceDiedException e) {
                // The message names the stand-in and its log.
                LOG.debug("A stand-in died", e);
                err.println("run-local: " + e.getMessage() + "; look there, then run bin/run-local again");
                return 1;
            }
        });
    }

    private int run(LocalRunOptions options) throws Exception {
        List<Path> documents = documents(options.docs);
        String apiKey = null;
        if (!options.embeddedEmulator()) {
            apiKey = System.getenv("GEMINI_API_KEY");
            if (apiKey == null || apiKey.isBlank()) {
                err.println("run-local: --gemini-base-url needs the API key in the environment variable GEMINI_API_KEY");
                return Cli.USAGE_ERROR;
            }
        }
        restPort = restPort(options.settings());
        requireFreePort(restPort);
        Files.createDirectories(options.out);
        Path output = options.out.toAbsolutePath();

        LocalService kinesis = track(LocalServices.startKinesisLocal());
        LocalService dynalite = track(LocalServices.startDynalite());
        standIns.add(kinesis);
        standIns.add(dynalite);
        String streamArn = createStream(kinesis, Math.max(2, options.parallelism));
        Map<String, String> settings = jobSettings(options, streamArn, kinesis.endpoint(), dynalite.endpoint(), output,
                restPort);
        Map<String, String> given = options.settings();
        createTables(dynalite, given.getOrDefault(DynamoDbOptions.TABLE.key(),
                DynamoDbOptions.TABLE.defaultValue()), given.getOrDefault(CacheOptions.TABLE.key(),
                CacheOptions.TABLE.defaultValue()));

        GeminiEmulator emulator = null;
        if (options.embeddedEmulator()) {
            String emulatorKey = "local-" + UUID.randomUUID();
            emulator = GeminiEmulator.builder()
                    .apiKey(emulatorKey)
                    .limits(new QuotaLimits(options.rpm, options.tpm, options.rpd))
                    .latency(new LatencyModel(options.latencyMillis(), options.perOutputTokenMillis(),
                            options.jitterMillis()))
                    .workerThreads(4)
                    .logTexts(false)
                    .start();
            track(emulator);
            settings.put(GeminiOptions.BASE_URL.key(), emulator.baseUrl());
            settings.put(GeminiOptions.API_KEY_SOURCE.key(), "literal:" + emulatorKey);
        } else {
            settings.put(GeminiOptions.BASE_URL.key(), options.geminiBaseUrl.toString());
            settings.put(GeminiOptions.API_KEY_SOURCE.key(), "env:GEMINI_API_KEY");
        }
        // Fails here, with the offending key named, before anything of Flink starts.
        JobConfig config;
        try {
            LinkedHashMap<String, Map<String, String>> sources = new LinkedHashMap<>();
            sources.put("what run-local derives", settings);
            sources.put(LocalRunOptions.SET, given);
            config = JobConfig.ofSources(sources);
        } catch (ConfigException e) {
            err.println("run-local: " + e.getMessage() + " (run-local --help lists every option)");
            return Cli.USAGE_ERROR;
        }
        settingsCheckpointInterval = config.get(JobOptions.CHECKPOINT_INTERVAL);

        startJob(config);
        err.println("run-local: Flink dashboard on " + dashboardUrl() + " (job " + job.getJobID() + ")");
        err.println("run-local: output in " + output);

        PutTimes puts = new PutTimes();
        List<String> documentIds = submit(streamArn, kinesis.endpoint(), options, documents, puts);
        LOG.info("Submitted {} documents; their records were put in {} ms", documents.size(),
                puts.lastMillis - puts.firstMillis);
        List<RunSummary.Submitted> submitted = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            submitted.add(new RunSummary.Submitted(documentIds.get(i), documents.get(i).getFileName().toString()));
        }
        OutputReader reader = new OutputReader(output);
        Map<String, DocumentOutcome> outcomes = awaitOutcomes(reader, documentIds, options.maxWait);
        // From the first record put to the last status committed: the pipeline's time.
        double wallSeconds = (System.nanoTime() - puts.firstNanos) / 1e9;

        PhaseTimes phases = PhaseTimes.of(puts.firstMillis, puts.lastMillis, outcomes.values(), visibleAt);
        RunSummary.EmulatorCounts counts = null;
        if (emulator != null) {
            EmulatorStats stats = emulator.stats();
            List<long[]> requests = new ArrayList<>();
            for (RequestLogEntry entry : stats.log) {
                requests.add(new long[] {entry.timeMillis, entry.answerDelayMillis});
            }
            phases.withRequests(requests);
            counts = new RunSummary.EmulatorCounts(stats.requests, stats.count(429));
            int busiest = stats.maxRequestsInAnyWindow(EmulatorStats.Scope.ALL);
            err.printf(Locale.ROOT, "run-local: emulator: %d requests, %d answered 429, busiest 60 s window %d "
                    + "requests (%.0f%% of %d RPM)%n", stats.requests, stats.count(429), busiest,
                    100.0 * busiest / options.rpm, options.rpm);
        }
        if (!commitLatencyMillis.isEmpty()) {
            List<Long> latencies = new ArrayList<>(commitLatencyMillis.values());
            latencies.sort(null);
            err.printf(Locale.ROOT, "run-local: commit latency (document emitted -> its file and COMPLETE status "
                    + "visible): median %.1f s, max %.1f s over %d documents (checkpoint interval %s)%n",
                    latencies.get(latencies.size() / 2) / 1000.0, latencies.get(latencies.size() - 1) / 1000.0,
                    latencies.size(), Durations.format(settingsCheckpointInterval));
        }
        err.print("run-local: where the time went (seconds since the first put" + (emulator != null ? "" : "; an "
                + "external Gemini's request times are unknown here") + "):\n" + phases.table("run-local:   "));
        err.println("run-local: " + phases.line());
        try {
            err.println("run-local: " + flink.checkpointSummary(job.getJobID()));
        } catch (Exception e) {
            LOG.debug("No checkpoint statistics", e);
        }
        RunSummary summary = new RunSummary(submitted, outcomes, reader.deadLetters(), wallSeconds, counts);
        out.print(summary.table());
        out.println(summary.resultLine());
        out.flush();
        if (!options.exitWhenDone) {
            err.println("run-local: still running; the dashboard stays on " + dashboardUrl()
                    + " until Ctrl-C");
            awaitJobEnd();
        }
        return summary.allComplete() && jobFailure() == null ? 0 : 1;
    }

    private URI dashboardUrl() {
        return URI.create("http://127.0.0.1:" + restPort);
    }

    /** Stops what was started, newest first; safe to call twice (Ctrl-C during a normal exit). */
    synchronized void stop() {
        if (job != null && !jobEnd.isDone()) {
            try {
                job.cancel().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                jobEnd.handle((result, failure) -> null).get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                // The job's MiniCluster shuts down once the job has ended, asynchronously: the
                // dashboard's port is free again when it is done.
                awaitPortFree(restPort, STOP_TIMEOUT);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Could not cancel the Flink job {}: {}", job.getJobID(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        while (!started.isEmpty()) {
            AutoCloseable service = started.pop();
            try {
                service.close();
            } catch (Exception e) {
                LOG.warn("Could not stop {}: {}", service, e.toString());
            }
        }
    }

    private <T extends AutoCloseable> T track(T service) {
        synchronized (this) {
            started.push(service);
        }
        return service;
    }

    private static List<Path> documents(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--docs " + dir + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = OutputReader.visibleFiles(list);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--docs " + dir + " holds no documents");
        }
        return files;
    }

    /**
     * The job's settings: the local stand-ins and emulator, 127.0.0.1 everywhere, short
     * checkpoints (outputs become visible at checkpoints); the user's {@code --set} keys are a later
     * source of the config and win.
     */
    static Map<String, String> jobSettings(LocalRunOptions options, String streamArn, URI kinesisEndpoint,
            URI dynamodbEndpoint, Path output, int restPort) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(KinesisOptions.STREAM.key(), streamArn);
        s.put(KinesisOptions.ENDPOINT.key(), kinesisEndpoint.toString());
        s.put(KinesisOptions.CREDENTIALS_PROVIDER.key(), KinesisOptions.CredentialsProvider.BASIC.name());
        s.put(KinesisOptions.INITIAL_POSITION.key(), KinesisOptions.InitialPosition.TRIM_HORIZON.name());
        s.put(KinesisOptions.SHARD_DISCOVERY_INTERVAL.key(), "2s");
        s.put(DynamoDbOptions.ENDPOINT.key(), dynamodbEndpoint.toString());
        s.put(QuotaOptions.RPM.key(), Integer.toString(options.rpm));
        s.put(QuotaOptions.TPM.key(), Long.toString(options.tpm));
        s.put(QuotaOptions.RPD.key(), Integer.toString(options.rpd));
        s.put(TranslateOptions.CAPACITY.key(), Integer.toString(options.capacity));
        s.put(JobOptions.PARALLELISM.key(), Integer.toString(options.parallelism));
        s.put(OutputOptions.PATH.key(), output.toUri().toString());
        s.put(JobOptions.NAME.key(), "parallel-translation (local)");
        s.put(JobOptions.CHECKPOINT_INTERVAL.key(), CHECKPOINT_INTERVAL);
        s.put(JobOptions.RESTART_STRATEGY.key(), JobOptions.RestartStrategy.FIXED_DELAY.name());
        s.put(JobOptions.RESTART_ATTEMPTS.key(), "3");
        s.put(JobOptions.RESTART_DELAY.key(), "2s");
        String loopback = "127.0.0.1";
        s.put(REST_PORT_KEY, Integer.toString(restPort));
        for (ConfigOption<String> option : List.of(RestOptions.BIND_ADDRESS, RestOptions.ADDRESS,
                JobManagerOptions.BIND_HOST, JobManagerOptions.ADDRESS, TaskManagerOptions.BIND_HOST,
                TaskManagerOptions.HOST)) {
            s.put(JobConfig.FLINK_PREFIX + option.key(), loopback);
        }
        return s;
    }

    /** The dashboard's port: Flink's default unless {@code --set flink.rest.bind-port=N} (one port, not a range). */
    static int restPort(Map<String, String> settings) {
        String value = settings.get(REST_PORT_KEY);
        if (value == null) {
            return RestOptions.PORT.defaultValue();
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(REST_PORT_KEY + " must be one port (1-65535) for the local run, got '"
                    + value + "'");
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitPortFree(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!portFree(port) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static void requireFreePort(int port) {
        if (!portFree(port)) {
            throw new IllegalArgumentException("port " + port + " on 127.0.0.1 is in use (another run-local?); "
                    + "stop it or pick another dashboard port with --set " + REST_PORT_KEY + "=N");
        }
    }

    private static String createStream(LocalService kinesis, int shards) throws InterruptedException {
        try (KinesisClient client = KinesisClients.create(LocalServices.REGION, kinesis.endpoint())) {
            KinesisClients.createStreamAndWait(client, STREAM_NAME, shards, SETUP_TIMEOUT);
        }
        return LocalServices.streamArn(STREAM_NAME);
    }

    /** The quota and translation cache tables, before the job starts (also for bench/failover.sh). */
    public static void createTables(LocalService dynalite, String table, String cacheTable)
            throws InterruptedException, TimeoutException {
        try (DynamoDbAsyncClient client = QuotaLimiters.dynamoDbClient(dynalite.endpoint(),
                Region.of(LocalServices.REGION), StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalServices.ACCESS_KEY_ID, LocalServices.SECRET_ACCESS_KEY)), SETUP_TIMEOUT)) {
            QuotaTable.createIfMissing(client, table, SETUP_TIMEOUT);
            CacheTable.createIfMissing(client, cacheTable, SETUP_TIMEOUT);
        }
    }

    /**
     * Builds the job as {@code TranslationJob.main} does and starts it in a MiniCluster whose REST
     * endpoint serves the dashboard. Returns once all its tasks run: sources read only then (records
     * put before are not lost, just read later, which would count in the run's time).
     */
    private void startJob(JobConfig config) throws Exception {
        LOG.info("Starting the job with {}", config);
        flink = new LocalFlink(TranslationJob.flinkConfiguration(config));
        StreamExecutionEnvironment env = flink.environment();
        TranslationJob.build(env, config);
        JobClient client;
        try {
            client = env.executeAsync(config.get(JobOptions.NAME));
        } catch (Exception e) {
            throw new IllegalStateException("the Flink job did not start: " + Cli.rootCause(e), e);
        }
        synchronized (this) {
            job = client;
            jobEnd = client.getJobExecutionResult();
        }
        long deadline = System.nanoTime() + JOB_START_TIMEOUT.toNanos();
        while (true) {
            checkStandIns();
            if (jobEnd.isDone()) {
                Throwable failure = jobFailure();
                throw new IllegalStateException("the Flink job ended while starting"
                        + (failure != null ? ": " + Cli.rootCause(failure) : ""), failure);
            }
            if (client.getJobStatus().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) == JobStatus.RUNNING
                    && flink.allTasksRunning(client.getJobID())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Flink job's tasks were not all running within "
                        + JOB_START_TIMEOUT);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Why the job ended, or null while it runs or if it finished. */
    private Throwable jobFailure() {
        if (jobEnd == null || !jobEnd.isDone()) {
            return null;
        }
        try {
            jobEnd.getNow(null);
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private void awaitJobEnd() throws InterruptedException {
        try {
            jobEnd.get();
        } catch (ExecutionException e) {
            LOG.debug("The job ended", e);
        }
    }

    /**
     * Submits the documents with the submit tool's code ({@code bin/submit}), so the local run puts
     * exactly what a user's submission would; its progress goes to stderr. Returns their ids, in
     * order.
     */
    private List<String> submit(String streamArn, URI endpoint, LocalRunOptions options, List<Path> files,
            PutTimes puts) throws IOException {
        SubmitOptions submission = SubmitOptions.of(streamArn, endpoint, LocalServices.REGION, options.targetLanguage,
                options.chunkTokens, files);
        SubmitTool.Result result = SubmitTool.submit(submission, err, puts::timing);
        if (result.status != 0) {
            throw new IOException("the submit tool's code exited with status " + result.status + " after putting "
                    + result.documentIds.size() + " of " + files.size() + " documents (its messages are above)");
        }
        return result.documentIds;
    }

    /** When the submission's first PutRecords call started and its last one returned. */
    private static final class PutTimes {
        long firstNanos;
        long firstMillis;
        long lastMillis;

        /** The submit tool puts from one thread, one call at a time. */
        RecordPublisher.PutRecordsCall timing(RecordPublisher.PutRecordsCall kinesis) {
            return request -> {
                if (firstMillis == 0) {
                    firstNanos = System.nanoTime();
                    firstMillis = System.currentTimeMillis();
                }
                try {
                    return kinesis.putRecords(request);
                } finally {
                    lastMillis = System.currentTimeMillis();
                }
            };
        }
    }

    private void checkStandIns() {
        for (LocalService standIn : standIns) {
            standIn.checkAlive();
        }
    }

    /** Polls the committed status records until every document has one, the job dies, or maxWait passes. */
    private Map<String, DocumentOutcome> awaitOutcomes(OutputReader reader, List<String> documentIds, Duration maxWait)
            throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        int reported = -1;
        while (true) {
            Map<String, DocumentOutcome> statuses = reader.statuses();
            long now = System.currentTimeMillis();
            for (DocumentOutcome outcome : statuses.values()) {
                visibleAt.putIfAbsent(outcome.jobId, now);
                if (outcome.complete() && outcome.emittedAt > 0) {
                    commitLatencyMillis.putIfAbsent(outcome.jobId, now - outcome.emittedAt);
                }
            }
            int done = (int) documentIds.stream().filter(statuses::containsKey).count();
            if (done != reported) {
                err.println("run-local: " + done + "/" + documentIds.size() + " documents have an outcome");
                reported = done;
            }
            if (done == documentIds.size()) {
                return statuses;
            }
            checkStandIns();
            if (jobEnd.isDone()) {
                Throwable failure = jobFailure();
                err.println("run-local: the Flink job ended before every document had an outcome"
                        + (failure == null ? "" : ": " + Cli.rootCause(failure)));
                return statuses;
            }
            if (System.nanoTime() > deadline) {
                err.println("run-local: gave up waiting after " + Durations.format(maxWait));
                return statuses;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
