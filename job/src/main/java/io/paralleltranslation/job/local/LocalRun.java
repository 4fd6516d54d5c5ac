package io.paralleltranslation.job.local;

import io.paralleltranslation.cache.CacheTable;
import io.paralleltranslation.gemini.emulator.EmulatorStats;
import io.paralleltranslation.gemini.emulator.GeminiEmulator;
import io.paralleltranslation.gemini.emulator.LatencyModel;
import io.paralleltranslation.gemini.emulator.QuotaLimits;
import io.paralleltranslation.gemini.emulator.RequestLogEntry;
import io.paralleltranslation.job.TranslationJob;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.submit.KinesisClients;
import io.paralleltranslation.localservices.LocalService;
import io.paralleltranslation.localservices.LocalServices;
import io.paralleltranslation.ratelimit.QuotaLimiters;
import io.paralleltranslation.ratelimit.QuotaTable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
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
 * given), runs {@code TranslationJob.main} in a MiniCluster with the web dashboard, submits the
 * documents with the submit tool, waits for their status records and prints a summary whose last
 * line is the {@code RESULT} line. Everything listens on 127.0.0.1; everything started is stopped.
 *
 * <p>Exit status: 0 every document complete (with {@code --exit-when-done}; without it the run
 * stays up until Ctrl-C), 1 a document did not complete or the job failed, 2 bad arguments.
 */
public final class LocalRun {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRun.class);

    static final String STREAM_NAME = "parallel-translation-chunks";
    static final int DASHBOARD_PORT = 8081;
    private static final String REST_PORT_KEY = JobConfig.FLINK_PREFIX + "rest.bind-port";
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
    /** {@code bin/run-local --verbose}: stack traces on the console. */
    private static final boolean VERBOSE = Boolean.getBoolean("cli.verbose");

    private final PrintStream out;
    private final PrintStream err;
    /** What was started, newest first: stopped in reverse order, once. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private FlinkDashboard dashboard;
    private Duration settingsCheckpointInterval;
    private String flinkJobId;
    private Thread jobThread;
    private final AtomicReference<Throwable> jobFailure = new AtomicReference<>();
    /** Per complete document: from its emission by the reassembly to its status (after its file) being seen. */
    private final Map<String, Long> commitLatencyMillis = new LinkedHashMap<>();
    /** Per job: when its final status was first seen (epoch millis). */
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
        try {
            Path root = LocalServices.projectRoot();
            LocalRunOptions options;
            try {
                options = LocalRunOptions.parse(args, root.resolve("samples"), root.resolve("target/local-run/run-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))));
            } catch (IllegalArgumentException e) {
                err.println("run-local: " + e.getMessage());
                err.println(LocalRunOptions.USAGE);
                return 2;
            }
            // ConfigException (a bad --set) is an IllegalArgumentException too.
            return run(options);
        } catch (IllegalArgumentException e) {
            err.println("run-local: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("run-local: interrupted");
            return 1;
        } catch (LocalService.ServiceDiedException e) {
            // The message names the stand-in and its log.
            LOG.debug("A stand-in died", e);
            err.println("run-local: " + e.getMessage() + "; look there, then run bin/run-local again");
            return 1;
        } catch (Exception e) {
            if (VERBOSE) {
                LOG.error("The local run failed", e);
            } else {
                LOG.debug("The local run failed", e);
            }
            err.println("run-local: failed: " + rootCause(e) + (VERBOSE ? "" : " (bin/run-local --verbose shows the "
                    + "stack trace)"));
            return 1;
        }
    }

    /** The innermost cause, as one line: Flink wraps a job's failure in several layers. */
    static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage().replaceAll("\\s*\\R\\s*", " ");
        return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    private int run(LocalRunOptions options) throws Exception {
        List<Path> documents = documents(options.docs);
        String apiKey = null;
        if (!options.embeddedEmulator()) {
            apiKey = System.getenv("GEMINI_API_KEY");
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("--gemini-base-url needs the API key in the environment "
                        + "variable GEMINI_API_KEY");
            }
        }
        int restPort = restPort(options.settings());
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
        createTables(dynalite, settings.getOrDefault(JobConfig.DYNAMODB_TABLE.name(),
                JobConfig.DYNAMODB_TABLE.defaultValue()), settings.getOrDefault(JobConfig.CACHE_TABLE.name(),
                JobConfig.CACHE_TABLE.defaultValue()));

        GeminiEmulator emulator = null;
        if (options.embeddedEmulator()) {
            String emulatorKey = "local-" + UUID.randomUUID();
            emulator = GeminiEmulator.builder()
                    .apiKey(emulatorKey)
                    .limits(new QuotaLimits(options.rpm, options.tpm, options.rpd))
                    .latency(new LatencyModel(options.latencyMillis, options.perOutputTokenMillis,
                            options.jitterMillis))
                    .workerThreads(4)
                    .logTexts(false)
                    .start();
            track(emulator);
            settings.putIfAbsent(JobConfig.GEMINI_BASE_URL.name(), emulator.baseUrl());
            settings.putIfAbsent(JobConfig.GEMINI_API_KEY_SOURCE.name(), "literal:" + emulatorKey);
        } else {
            settings.putIfAbsent(JobConfig.GEMINI_BASE_URL.name(), options.geminiBaseUrl.toString());
            settings.putIfAbsent(JobConfig.GEMINI_API_KEY_SOURCE.name(), "env:GEMINI_API_KEY");
        }
        // Fails here, with the offending key named, rather than inside the job's thread.
        JobConfig config = JobConfig.of(settings);
        settingsCheckpointInterval = config.get(JobConfig.JOB_CHECKPOINT_INTERVAL);

        startJob(config, settings, restPort);
        err.println("run-local: Flink dashboard on " + dashboard.url() + " (job " + flinkJobId + ")");
        err.println("run-local: output in " + output);

        long submitNanos = System.nanoTime();
        SubmitProcess.Result submission = SubmitProcess.submit(streamArn, kinesis.endpoint(), LocalServices.REGION,
                options.targetLanguage, options.chunkTokens, documents, err);
        List<String> jobIds = submission.jobIds;
        LOG.info("Submitted {} documents in {} ms (the submit tool's JVM start included)", documents.size(),
                (System.nanoTime() - submitNanos) / 1_000_000);
        List<RunSummary.Submitted> submitted = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            submitted.add(new RunSummary.Submitted(jobIds.get(i), documents.get(i).getFileName().toString()));
        }
        OutputReader reader = new OutputReader(output);
        Map<String, DocumentOutcome> outcomes = awaitOutcomes(reader, jobIds, options.maxWait);
        // From the first record put to the last status committed: the pipeline's time, without the
        // submit tool's JVM start.
        double wallSeconds = (System.nanoTime() - submission.firstPutNanos) / 1e9;

        PhaseTimes phases = PhaseTimes.of(submission.firstPutMillis, submission.lastPutMillis, outcomes.values(),
                visibleAt);
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
                    latencies.size(), settingsCheckpointInterval);
        }
        err.print("run-local: where the time went (seconds since the first put" + (emulator != null ? "" : "; an "
                + "external Gemini's request times are unknown here") + "):\n" + phases.table("run-local:   "));
        err.println("run-local: " + phases.line());
        try {
            err.println("run-local: " + dashboard.checkpointSummary(flinkJobId));
        } catch (IOException e) {
            LOG.debug("No checkpoint statistics", e);
        }
        RunSummary summary = new RunSummary(submitted, outcomes, reader.deadLetters(), wallSeconds, counts);
        out.print(summary.table());
        out.println(summary.resultLine());
        out.flush();
        if (!options.exitWhenDone) {
            err.println("run-local: still running; the dashboard stays on " + dashboard.url()
                    + " until Ctrl-C");
            jobThread.join();
        }
        return summary.allComplete() && jobFailure.get() == null ? 0 : 1;
    }

    /** Stops what was started, newest first; safe to call twice (Ctrl-C during a normal exit). */
    synchronized void stop() {
        if (flinkJobId != null && jobThread != null && jobThread.isAlive()) {
            try {
                dashboard.cancel(flinkJobId);
                jobThread.join(STOP_TIMEOUT.toMillis());
            } catch (IOException e) {
                LOG.warn("Could not cancel the Flink job {}: {}", flinkJobId, e.toString());
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
     * checkpoints (outputs become visible at checkpoints), then the user's {@code --set} keys.
     */
    static Map<String, String> jobSettings(LocalRunOptions options, String streamArn, URI kinesisEndpoint,
            URI dynamodbEndpoint, Path output, int restPort) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(JobConfig.KINESIS_STREAM.name(), streamArn);
        s.put(JobConfig.KINESIS_ENDPOINT.name(), kinesisEndpoint.toString());
        s.put(JobConfig.KINESIS_CREDENTIALS_PROVIDER.name(), JobConfig.CredentialsProvider.BASIC.name());
        s.put(JobConfig.KINESIS_INITIAL_POSITION.name(), JobConfig.InitialPosition.TRIM_HORIZON.name());
        s.put(JobConfig.KINESIS_SHARD_DISCOVERY_INTERVAL.name(), "2s");
        s.put(JobConfig.DYNAMODB_ENDPOINT.name(), dynamodbEndpoint.toString());
        s.put(JobConfig.QUOTA_RPM.name(), Integer.toString(options.rpm));
        s.put(JobConfig.QUOTA_TPM.name(), Long.toString(options.tpm));
        s.put(JobConfig.QUOTA_RPD.name(), Integer.toString(options.rpd));
        s.put(JobConfig.TRANSLATE_CAPACITY.name(), Integer.toString(options.capacity));
        s.put(JobConfig.JOB_PARALLELISM.name(), Integer.toString(options.parallelism));
        s.put(JobConfig.OUTPUT_PATH.name(), output.toUri().toString());
        s.put(JobConfig.JOB_NAME.name(), "parallel-translation (local)");
        s.put(JobConfig.JOB_CHECKPOINT_INTERVAL.name(), CHECKPOINT_INTERVAL);
        s.put(JobConfig.JOB_RESTART_STRATEGY.name(), JobConfig.RestartStrategy.FIXED_DELAY.name());
        s.put(JobConfig.JOB_RESTART_ATTEMPTS.name(), "3");
        s.put(JobConfig.JOB_RESTART_DELAY.name(), "2s");
        String loopback = "127.0.0.1";
        s.put(REST_PORT_KEY, Integer.toString(restPort));
        for (String key : new String[] {"rest.bind-address", "rest.address", "jobmanager.bind-host",
                "jobmanager.rpc.address", "taskmanager.bind-host", "taskmanager.host"}) {
            s.put(JobConfig.FLINK_PREFIX + key, loopback);
        }
        s.putAll(options.settings());
        return s;
    }

    /** The dashboard's port: 8081 unless {@code --set flink.rest.bind-port=N} (one port, not a range). */
    static int restPort(Map<String, String> settings) {
        String value = settings.get(REST_PORT_KEY);
        if (value == null) {
            return DASHBOARD_PORT;
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

    private static void requireFreePort(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
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
     * Runs the job's own {@code main} in a thread: outside a cluster it runs in a MiniCluster whose
     * REST endpoint serves the dashboard. Returns once the job's tasks are running.
     */
    private void startJob(JobConfig config, Map<String, String> settings, int restPort) throws InterruptedException {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            args.add("--" + e.getKey());
            args.add(e.getValue());
        }
        LOG.info("Starting the job with {}", config);
        dashboard = new FlinkDashboard(restPort);
        Thread thread = new Thread(() -> {
            try {
                TranslationJob.main(args.toArray(new String[0]));
            } catch (Throwable t) {
                jobFailure.set(t);
            }
        }, "translation-job");
        thread.setDaemon(true);
        jobThread = thread;
        thread.start();
        flinkJobId = dashboard.awaitRunningJob(JOB_START_TIMEOUT, () -> {
            checkStandIns();
            return thread.isAlive();
        });
        if (flinkJobId == null) {
            Throwable failure = jobFailure.get();
            throw new IllegalStateException("the Flink job did not start"
                    + (failure != null ? ": " + rootCause(failure) : " within " + JOB_START_TIMEOUT), failure);
        }
    }

    private void checkStandIns() {
        for (LocalService standIn : standIns) {
            standIn.checkAlive();
        }
    }

    /** Polls the committed status records until every job has one, the job dies, or maxWait passes. */
    private Map<String, DocumentOutcome> awaitOutcomes(OutputReader reader, List<String> jobIds, Duration maxWait)
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
            int done = (int) jobIds.stream().filter(statuses::containsKey).count();
            if (done != reported) {
                err.println("run-local: " + done + "/" + jobIds.size() + " documents have an outcome");
                reported = done;
            }
            if (done == jobIds.size()) {
                return statuses;
            }
            checkStandIns();
            if (!jobThread.isAlive()) {
                Throwable failure = jobFailure.get();
                err.println("run-local: the Flink job ended before every document had an outcome"
                        + (failure == null ? "" : ": " + rootCause(failure)));
                return statuses;
            }
            if (System.nanoTime() > deadline) {
                err.println("run-local: gave up waiting after " + maxWait);
                return statuses;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
