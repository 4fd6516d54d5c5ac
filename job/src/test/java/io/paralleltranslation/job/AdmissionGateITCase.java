package io.paralleltranslation.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paralleltranslation.gemini.emulator.EmulatorStats;
import io.paralleltranslation.gemini.emulator.GeminiEmulator;
import io.paralleltranslation.gemini.emulator.LatencyModel;
import io.paralleltranslation.gemini.emulator.QuotaLimits;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.submit.Submissions;
import io.paralleltranslation.job.translate.GeminiClientFactory;
import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.translate.QuotaLimiterFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission gate on the whole job (Kinesis stand-in, the Gemini emulator, an in-memory limiter
 * on a clock shortly before midnight in Los Angeles): with the day's requests spent and chunks
 * waiting for the next day, checkpoints keep completing, because the waiting chunks are state of
 * the gate, not records stuck in a full async queue; once the day turns every document completes,
 * paid exactly once per chunk.
 */
class AdmissionGateITCase {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionGateITCase.class);
    private static final int DAY_RPD = 30;
    private static final int DOCUMENTS = 5;
    private static final int CHUNKS = 10;
    private static final String LANG = "de";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @RegisterExtension
    static final KinesisStandIn KINESIS = new KinesisStandIn();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void checkpointsCompleteWhileChunksWaitForTheDayAndEveryDocumentCompletesAfterIt(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        ZoneId la = ZoneId.of("America/Los_Angeles");
        Instant midnight = LocalDate.now(la).plusDays(1).atStartOfDay(la).toInstant();
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), midnight.minusSeconds(75)));
        try (GeminiEmulator limited = GeminiEmulator.builder().apiKey("test-key").clock(clock)
                .limits(new QuotaLimits(1_000, 10_000_000, DAY_RPD)).latency(LatencyModel.fixed(100)).start()) {
            String arn = KINESIS.createStream("gate-daily", 2);
            List<String> args = new ArrayList<>(Arrays.asList("--stream", arn, "--endpoint", KINESIS.endpoint(),
                    "--target-lang", LANG, "--chunk-tokens", "30"));
            for (int d = 0; d < DOCUMENTS; d++) {
                args.add(Files.writeString(dir.resolve("g" + d + ".md"),
                        JobRuns.document("g" + d, CHUNKS)).toString());
            }
            List<String> jobIds = Submissions.submit(args.toArray(new String[0]));
            Map<String, String> settings = settings(arn, limited.baseUrl());
            QuotaLimiterFactory limiters = new JobRuns.ClockedInMemoryLimiters("gate-daily", DAY_RPD,
                    la, clock);

            JobClient job = JobRuns.start(settings, TranslationJob.operatorStages(
                    GeminiClientFactory.from(JobConfig.of(settings)), limiters, clock));
            JobRuns.Outputs out;
            long completedWhileParked;
            try {
                String checkpoints = cluster.getWebInterfaceURL() + "/jobs/" + job.getJobID() + "/checkpoints";
                awaitCondition(() -> limited.stats().requests >= DAY_RPD, Duration.ofSeconds(60), "the day's requests");
                long parkedFrom = completedCheckpoints(checkpoints);
                Thread.sleep(4_000);
                completedWhileParked = completedCheckpoints(checkpoints) - parkedFrom;
                assertThat(clock.instant()).as("still the first day").isBefore(midnight);
                assertThat(limited.stats().requests).as("nothing sent into the spent day").isEqualTo(DAY_RPD);
                LOG.info("{} checkpoints completed in 4 s with {} chunks waiting for the day", completedWhileParked,
                        DOCUMENTS * CHUNKS - DAY_RPD);
                out = JobRuns.await(settings, job, o -> o.finals().size() >= DOCUMENTS,
                        Duration.ofSeconds(150));
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
            assertThat(completedWhileParked).as("checkpoints completed while chunks were parked").isPositive();
            EmulatorStats stats = limited.stats();
            Map<String, JobStatus> finals = out.finals();
            for (String jobId : jobIds) {
                assertThat(finals.get(jobId).outcome).as(jobId).isEqualTo(JobOutcome.COMPLETE);
                assertThat(out.documents).containsKey(jobId);
            }
            assertThat(stats.count(429)).as("429s: %s", stats.byQuotaId).isZero();
            assertThat(stats.requests).as("one paid call per chunk").isEqualTo(DOCUMENTS * CHUNKS);
            assertThat(stats.log.stream().filter(e -> e.timeMillis < midnight.toEpochMilli()).count())
                    .as("translated on the first day").isEqualTo(DAY_RPD);
        }
    }

    private static long completedCheckpoints(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode stats = new ObjectMapper().readTree(response.body());
        return stats.path("counts").path("completed").asLong();
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, Duration wait, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + wait + " for " + what);
            }
            Thread.sleep(200);
        }
    }

    private Map<String, String> settings(String streamArn, String geminiUrl) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("kinesis.stream", streamArn);
        s.put("kinesis.endpoint", KINESIS.endpoint());
        s.put("kinesis.credentials-provider", "BASIC");
        s.put("kinesis.initial-position", "TRIM_HORIZON");
        s.put("kinesis.shard-discovery-interval", "1s");
        s.put("dynamodb.quota-scope", "gate-daily");
        // The in-memory limiter is the quota; no DynamoDB here.
        s.put("cache.enabled", "false");
        s.put("gemini.base-url", geminiUrl);
        s.put("gemini.api-key-source", "literal:test-key");
        s.put("quota.rpm", "1000");
        s.put("quota.tpm", "10000000");
        s.put("quota.rpd", Integer.toString(DAY_RPD));
        // Two slots a subtask, far fewer than the 20 chunks that wait for the day: without the gate they
        // would fill the async queues and block the operator until midnight.
        s.put("translate.capacity", "2");
        s.put("translate.backoff-base", "100ms");
        s.put("translate.backoff-cap", "1s");
        s.put("job.parallelism", "2");
        s.put("job.checkpoint-interval", "1s");
        s.put("job.restart-strategy", "NONE");
        s.put("output.path", Files.createTempDirectory(dir, "out").toUri().toString());
        return s;
    }
}
