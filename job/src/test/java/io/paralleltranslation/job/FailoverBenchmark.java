package io.paralleltranslation.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paralleltranslation.gemini.emulator.EmulatorStats;
import io.paralleltranslation.gemini.emulator.GeminiEmulator;
import io.paralleltranslation.gemini.emulator.LatencyModel;
import io.paralleltranslation.gemini.emulator.RequestLogEntry;
import io.paralleltranslation.job.config.CacheOptions;
import io.paralleltranslation.job.config.DynamoDbOptions;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.local.LocalRun;
import io.paralleltranslation.job.sink.OutputSinks;
import io.paralleltranslation.job.source.KinesisSourceFactory;
import io.paralleltranslation.job.submit.KinesisClients;
import io.paralleltranslation.job.submit.Submissions;
import io.paralleltranslation.localservices.LocalService;
import io.paralleltranslation.localservices.LocalServices;
import io.paralleltranslation.operators.metrics.MetricNames;
import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.JsonLines;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code bench/failover.sh}: the job on a real multi-process Flink session cluster (a JobManager and
 * two TaskManagers, each its own JVM, built from the Maven jars as in the build notes), against
 * kinesis-local, dynalite and the Gemini emulator. Three documents go in; once a third of their
 * chunks are paid for, the TaskManager whose translate subtask has calls in flight is killed with
 * SIGKILL; the job restores its last checkpoint on the survivor. Prints what it measured, last line:
 * {@code RESULT documents= complete= duplicates= chunks= gemini_calls= lost_in_flight= paid_twice= gemini_429=
 * recovery_s=}: {@code lost_in_flight} are calls the emulator answered to a client that was gone (the
 * killed TaskManager's calls in flight: paid, answers lost; a lower bound), {@code paid_twice} the
 * calls beyond one per chunk.
 *
 * <p>Arguments: the managed-flink jar, the cluster classpath file, a work directory. Knobs
 * (system properties): {@code bench.latencyMs} (400), {@code bench.checkpointMs} (2000),
 * {@code bench.cache} (true).
 */
public final class FailoverBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LANG = "de";
    private static final int CHUNK_TOKENS = 30;
    private static final int[] DOCUMENT_CHUNKS = {20, 25, 35};
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final String TASK_MANAGER = "taskmanager-";
    /** What flink-dist's default config gives every JVM on JDK 17 (env.java.opts.all). */
    private static final List<String> JDK17_OPENS = Arrays.asList(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private final Path jobJar;
    private final String clusterClasspath;
    private final Path work;
    private int restPort;

    private FailoverBenchmark(Path jobJar, String clusterClasspath, Path work) {
        this.jobJar = jobJar;
        this.clusterClasspath = clusterClasspath;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: FailoverBenchmark JOB_JAR CLUSTER_CLASSPATH_FILE WORK_DIR");
            System.exit(2);
        }
        FailoverBenchmark bench = new FailoverBenchmark(Paths.get(args[0]),
                Files.readString(Paths.get(args[1])).trim(), Paths.get(args[2]));
        try {
            bench.run();
        } finally {
            bench.stopCluster();
        }
        System.exit(0);
    }

    private static void log(String format, Object... args) {
        System.err.println("failover: " + String.format(format, args));
    }

    private void run() throws Exception {
        long latency = Long.getLong("bench.latencyMs", 400);
        long checkpointMs = Long.getLong("bench.checkpointMs", 2000);
        boolean cache = Boolean.parseBoolean(System.getProperty("bench.cache", "true"));
        try (LocalService dynalite = LocalServices.startDynalite();
                LocalService kinesis = LocalServices.startKinesisLocal();
                GeminiEmulator emulator = GeminiEmulator.builder().apiKey("bench-key")
                        .latency(new LatencyModel(latency, 0, latency / 4)).start();
                KinesisClient kinesisClient = KinesisClients.create(LocalServices.REGION, kinesis.endpoint())) {
            KinesisClients.createStreamAndWait(kinesisClient, "failover", 2, Duration.ofSeconds(60));
            String arn = LocalServices.streamArn("failover");
            startCluster();

            Path output = work.resolve("output");
            Map<String, String> settings = new HashMap<>();
            settings.put("kinesis.stream", arn);
            settings.put("kinesis.endpoint", kinesis.endpoint().toString());
            settings.put("kinesis.credentials-provider", "BASIC");
            settings.put("kinesis.shard-discovery-interval", "1s");
            settings.put("dynamodb.endpoint", dynalite.endpoint().toString());
            settings.put("cache.enabled", Boolean.toString(cache));
            settings.put("gemini.base-url", emulator.baseUrl());
            settings.put("gemini.api-key-source", "literal:bench-key");
            settings.put("quota.rpm", "100000");
            settings.put("quota.tpm", "1000000000");
            settings.put("quota.rpd", "10000000");
            settings.put("job.parallelism", "2");
            settings.put("job.checkpoint-interval", checkpointMs + "ms");
            settings.put("job.checkpoint-dir", work.resolve("checkpoints").toUri().toString());
            settings.put("job.restart-strategy", "FIXED_DELAY");
            settings.put("job.restart-delay", "3s");
            settings.put("output.path", output.toUri().toString());
            JobConfig config = JobConfig.of(settings);
            // As the local run and the deployment do: without the quota table the limiter grants
            // nothing for its first window and no checkpoint completes before the kill.
            LocalRun.createTables(dynalite, config.get(DynamoDbOptions.TABLE), config.get(CacheOptions.TABLE));
            Configuration flink = TranslationJob.flinkConfiguration(config);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment("127.0.0.1", restPort,
                    flink, jobJar.toString());
            env.setParallelism(2);
            TranslationJob.build(env, config, KinesisSourceFactory::addTo, TranslationJob.operatorStages());
            JobClient job = env.executeAsync("failover-bench");
            log("job %s submitted (cache %s, emulator latency %d ms, checkpoints every %d ms)", job.getJobID(),
                    cache ? "on" : "off", latency, checkpointMs);

            List<String> args = new ArrayList<>(Arrays.asList("--stream", arn, "--endpoint",
                    kinesis.endpoint().toString(), "--target-lang", LANG, "--chunk-tokens",
                    Integer.toString(CHUNK_TOKENS)));
            int chunks = 0;
            for (int n : DOCUMENT_CHUNKS) {
                args.add(Files.writeString(work.resolve("doc-" + n + ".md"),
                        JobRuns.document("failover" + n, n)).toString());
                chunks += n;
            }
            List<String> jobIds = Submissions.submit(args.toArray(new String[0]));
            log("%d documents, %d chunks submitted", jobIds.size(), chunks);

            // The victim is a TaskManager with calls in flight: on a loaded machine one translate subtask
            // may make the first 20 calls alone while the other is still opening, and killing that other
            // TaskManager would show nothing about calls in flight.
            String[] busy = new String[1];
            await("a third of the chunks paid for, calls in flight on a TaskManager", () -> {
                busy[0] = emulator.stats().requests >= DOCUMENT_CHUNKS[0] ? taskManagerCalling(job) : null;
                return busy[0] != null;
            });
            int callsAtKill = emulator.stats().requests;
            Process victim = processes.get(Integer.parseInt(busy[0].substring(TASK_MANAGER.length())));
            long killedAt = System.nanoTime();
            long killedAtMillis = System.currentTimeMillis();
            victim.destroyForcibly();
            log("killed %s, pid %d (SIGKILL), after %d calls", busy[0], victim.pid(), callsAtKill);
            await("the job to notice the loss", () -> !allRunning(job));
            await("every task running again", () -> allRunning(job));
            double recovery = (System.nanoTime() - killedAt) / 1e9;
            log("all tasks running again %.1f s after the kill", recovery);

            await("a final status record for every document", () -> statuses(output).size() >= jobIds.size());
            Thread.sleep(3 * checkpointMs);
            List<JobStatus> statuses = statuses(output);
            Map<String, Long> files = documentFiles(output);
            EmulatorStats stats = emulator.stats();
            long complete = statuses.stream().filter(s -> s.outcome == JobOutcome.COMPLETE).count();
            long duplicates = (statuses.size() - statuses.stream().map(s -> s.jobId).distinct().count())
                    + files.values().stream().mapToLong(n -> Math.max(0, n - 1)).sum();
            for (JobStatus s : statuses) {
                log("%s: %s, %d chunks, %d calls, %d from the cache", s.jobId, s.outcome, s.totalChunks, s.geminiCalls,
                        s.chunksFromCache);
            }
            job.cancel().get();
            // Every chunk's text differs, so a text names its chunk: calls beyond one per text were paid twice.
            long paidTwice = stats.requests - stats.log.stream().map(e -> e.textSha256).distinct().count();
            Map<String, List<RequestLogEntry>> byChunk = stats.log.stream()
                    .collect(Collectors.groupingBy(e -> e.textSha256));
            // When each chunk paid twice was first answered, relative to the kill (negative: before it).
            List<Long> firstAnsweredAfterKill = byChunk.values().stream().filter(calls -> calls.size() > 1)
                    .map(calls -> calls.get(0).timeMillis + calls.get(0).answerDelayMillis - killedAtMillis)
                    .sorted().collect(Collectors.toList());
            long inFlightAtKill = firstAnsweredAfterKill.stream().filter(ms -> ms >= 0).count();
            log("%d answers could not be delivered (client gone); %d chunks paid more than once: %d first answered"
                    + " at or after the kill (in flight), %d before it (answer received, not yet in the cache);"
                    + " first answers relative to the kill, ms: %s", stats.undelivered, paidTwice, inFlightAtKill,
                    paidTwice - inFlightAtKill, firstAnsweredAfterKill);
            System.out.println("RESULT documents=" + jobIds.size() + " complete=" + complete + " duplicates="
                    + duplicates + " chunks=" + chunks + " gemini_calls=" + stats.requests + " lost_in_flight="
                    + stats.undelivered + " paid_twice=" + paidTwice + " gemini_429=" + stats.count(429)
                    + " recovery_s=" + String.format("%.1f", recovery));
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The resource id of a TaskManager whose translate subtask has Gemini calls under way, or null. */
    private String taskManagerCalling(JobClient job) throws Exception {
        for (JsonNode vertex : rest("/jobs/" + job.getJobID()).path("vertices")) {
            if (!vertex.path("name").asText().startsWith("translate")) {
                continue;
            }
            String base = "/jobs/" + job.getJobID() + "/vertices/" + vertex.path("id").asText();
            List<String> ids = new ArrayList<>();
            for (JsonNode metric : rest(base + "/metrics")) {
                if (metric.path("id").asText().endsWith("." + MetricNames.REQUESTS_IN_FLIGHT)) {
                    ids.add(metric.path("id").asText());
                }
            }
            if (ids.isEmpty()) {
                return null;
            }
            JsonNode subtasks = rest(base).path("subtasks");
            for (JsonNode value : rest(base + "/metrics?get=" + String.join(",", ids))) {
                if (value.path("value").asDouble() > 0) {
                    int subtask = Integer.parseInt(value.path("id").asText().split("\\.")[0]);
                    for (JsonNode s : subtasks) {
                        if (s.path("subtask").asInt() == subtask && s.has("taskmanager-id")) {
                            return s.path("taskmanager-id").asText();
                        }
                    }
                }
            }
        }
        return null;
    }

    private boolean allRunning(JobClient job) throws Exception {
        JsonNode details = rest("/jobs/" + job.getJobID());
        if (!"RUNNING".equals(details.path("state").asText())) {
            return false;
        }
        for (JsonNode vertex : details.path("vertices")) {
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private JsonNode rest(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + restPort + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** The final status records (COMPLETE, FAILED, INCOMPLETE); ACCEPTED and PROGRESS records are not counted. */
    private static List<JobStatus> statuses(Path output) throws IOException {
        List<JobStatus> statuses = new ArrayList<>();
        for (Path f : visible(output.resolve(OutputSinks.STATUS_DIR))) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    JobStatus status = JsonLines.fromLine(line, JobStatus.class);
                    if (status.outcome.isFinal()) {
                        statuses.add(status);
                    }
                }
            }
        }
        return statuses;
    }

    /** Committed document files per jobId. */
    private static Map<String, Long> documentFiles(Path output) throws IOException {
        return visible(output).stream().filter(f -> !output.relativize(f).getName(0).toString().startsWith("_"))
                .collect(Collectors.groupingBy(f -> output.relativize(f).getName(0).toString(), Collectors.counting()));
    }

    private static List<Path> visible(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .collect(Collectors.toList());
        }
    }

    private void startCluster() throws Exception {
        Path conf = Files.createDirectories(work.resolve("conf"));
        restPort = LocalServices.freePort();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(LocalServices.freePort()));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(restPort));
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("blob.server.port", Integer.toString(LocalServices.freePort()));
        c.put("jobmanager.memory.process.size", "1024m");
        c.put("taskmanager.memory.process.size", "1280m");
        c.put("taskmanager.numberOfTaskSlots", "2");
        // The REST metrics the victim is chosen by (calls in flight) are at most 1 s old, not 10.
        c.put("metrics.fetcher.update-interval", "1000");
        c.put("cluster.evenly-spread-out-slots", "true");
        c.put("heartbeat.interval", "1000");
        c.put("heartbeat.timeout", "5000");
        c.put("io.tmp.dirs", Files.createDirectories(work.resolve("tmp")).toString());
        StringBuilder yaml = new StringBuilder();
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("flink-conf.yaml"), yaml.toString());
        Files.writeString(conf.resolve("log4j.properties"), "rootLogger.level = INFO\n"
                + "rootLogger.appenderRef.file.ref = File\nappender.file.type = File\nappender.file.name = File\n"
                + "appender.file.append = true\nappender.file.fileName = ${sys:log.file}\n"
                + "appender.file.layout.type = PatternLayout\n"
                + "appender.file.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n\n");

        start("jobmanager", "GET_JM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", conf);
        await("the JobManager's REST endpoint", () -> {
            try {
                return rest("/overview").has("taskmanagers");
            } catch (IOException notYet) {
                return false;
            }
        });
        for (int i = 1; i <= 2; i++) {
            // processes.get(i) is TASK_MANAGER + i: the resource id the REST API names it by.
            start(TASK_MANAGER + i, "GET_TM_RESOURCE_PARAMS", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                    conf, "-D", "taskmanager.resource-id=" + TASK_MANAGER + i);
        }
        await("two TaskManagers", () -> rest("/overview").path("taskmanagers").asInt() >= 2);
        log("cluster up: JobManager and 2 TaskManagers, REST on %d, logs in %s", restPort, work);
    }

    /** Starts one cluster JVM with the memory flags BashJavaUtils derives from the config, as flink-dist does. */
    private void start(String name, String resourceCommand, String mainClass, Path conf, String... dynamicProperties)
            throws Exception {
        List<String> resources = new ArrayList<>();
        Process utils = new ProcessBuilder(javaCommand(Arrays.asList("-cp", clusterClasspath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils", resourceCommand, "--configDir", conf.toString())))
                .redirectErrorStream(true).start();
        for (String line : new String(utils.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                resources.add(line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim());
            }
        }
        if (utils.waitFor() != 0 || resources.size() < 2) {
            throw new IllegalStateException("BashJavaUtils " + resourceCommand + " failed: " + resources);
        }
        List<String> args = new ArrayList<>(Arrays.asList(resources.get(0).split("\\s+")));
        args.addAll(JDK17_OPENS);
        args.add("-Dlog.file=" + work.resolve(name + ".log"));
        args.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        args.addAll(Arrays.asList("-cp", clusterClasspath, mainClass, "--configDir", conf.toString()));
        args.addAll(Arrays.asList(resources.get(resources.size() - 1).split("\\s+")));
        args.addAll(Arrays.asList(dynamicProperties));
        Process process = new ProcessBuilder(javaCommand(args)).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".out").toFile()).start();
        processes.add(process);
    }

    private static List<String> javaCommand(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        return command;
    }

    private void stopCluster() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }
}
