package io.paralleltranslation.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paralleltranslation.job.KinesisStandIn;
import io.paralleltranslation.job.config.JobConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;

/**
 * The source as deployed (default {@code kinesis.poll-interval}) against kinesis-local behind a
 * counting proxy: GetRecords calls per shard per second on an idle stream and on a busy one, and
 * the lag metric the source registers. Prints what it measured.
 */
class PoliteSourceITCase {
    /** Kinesis's limit: 5 GetRecords per second per shard, for all consumers of the stream together. */
    private static final int KINESIS_LIMIT_PER_SHARD_PER_SECOND = 5;
    private static final long PHASE_MILLIS = 8_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .build());

    @RegisterExtension
    static final KinesisStandIn KINESIS = new KinesisStandIn();

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void pollsAShardAtMostFiveTimesASecondIdleOrBusyAndRegistersItsLag(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        String arn = KINESIS.createStream("polite", 1);
        try (CountingKinesisProxy proxy = new CountingKinesisProxy(KINESIS.endpoint())) {
            Map<String, String> settings = new HashMap<>();
            settings.put("kinesis.stream", arn);
            settings.put("kinesis.endpoint", proxy.endpoint());
            settings.put("kinesis.credentials-provider", "BASIC");
            settings.put("kinesis.initial-position", "TRIM_HORIZON");
            settings.put("output.path", "unused");
            JobConfig config = JobConfig.of(settings);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            CloseableIterator<byte[]> records = KinesisSourceFactory.addTo(env, config).collectAsync();
            JobClient job = env.executeAsync("polite-source");
            AtomicInteger received = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try {
                    while (records.hasNext()) {
                        records.next();
                        received.incrementAndGet();
                    }
                } catch (RuntimeException cancelled) {
                    // The job is cancelled at the end of the test.
                }
            }, "collect");
            reader.setDaemon(true);
            reader.start();
            try {
                awaitFirstCall(proxy);
                // Idle: nothing on the stream.
                long idleStart = System.nanoTime();
                Thread.sleep(PHASE_MILLIS);
                long idleEnd = System.nanoTime();

                // Busy: records put all through the phase, 25 a second.
                int put = 0;
                long busyStart = System.nanoTime();
                while (System.nanoTime() - busyStart < TimeUnit.MILLISECONDS.toNanos(PHASE_MILLIS)) {
                    String body = "{\"n\":" + put + "}";
                    KINESIS.client().putRecord(b -> b.streamARN(arn).partitionKey("p")
                            .data(SdkBytes.fromString(body, StandardCharsets.UTF_8)));
                    put++;
                    Thread.sleep(40);
                }
                long busyEnd = System.nanoTime();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (received.get() < put && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }

                List<Long> calls = proxy.getRecordsCalls();
                Rate idle = Rate.of(calls, idleStart, idleEnd);
                Rate busy = Rate.of(calls, busyStart, busyEnd);
                List<String> lagMetrics = sourceMetrics(cluster, job.getJobID(), "millisBehindLatest");
                System.out.printf(Locale.ROOT, "MEASURED getrecords_per_shard_per_s idle=%.2f (max %d in any 1 s) "
                        + "busy=%.2f (max %d in any 1 s, %d records put, %d read); lag metrics: %s%n",
                        idle.perSecond, idle.maxInOneSecond, busy.perSecond, busy.maxInOneSecond, put, received.get(),
                        lagMetrics);

                assertThat(received.get()).as("every record put was read").isEqualTo(put);
                assertThat(idle.maxInOneSecond).as("GetRecords in any second, idle stream")
                        .isBetween(1, KINESIS_LIMIT_PER_SHARD_PER_SECOND);
                assertThat(busy.maxInOneSecond).as("GetRecords in any second, busy stream")
                        .isBetween(1, KINESIS_LIMIT_PER_SHARD_PER_SECOND);
                assertThat(lagMetrics).as("the source's lag metric, per shard").isNotEmpty()
                        .allSatisfy(m -> assertThat(m).contains("shardId-000000000000"));
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
                records.close();
            }
        }
    }

    private static void awaitFirstCall(CountingKinesisProxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (proxy.getRecordsCalls().isEmpty()) {
            assertThat(System.nanoTime()).as("a first GetRecords within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The ids of the source vertex's metrics whose name ends with {@code suffix}, from the REST API. */
    private static List<String> sourceMetrics(ClusterClient<?> cluster, JobID job, String suffix) throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        String base = cluster.getWebInterfaceURL();
        JsonNode vertices = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + job)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("vertices");
        String vertex = vertices.get(0).path("id").asText();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonNode metrics = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + job
                    + "/vertices/" + vertex + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
            List<String> found = new java.util.ArrayList<>();
            for (JsonNode metric : metrics) {
                if (metric.path("id").asText().endsWith(suffix)) {
                    found.add(metric.path("id").asText());
                }
            }
            if (!found.isEmpty() || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(500);
        }
    }

    /** GetRecords calls in [start, end): the average per second and the most in any one second. */
    static final class Rate {
        final double perSecond;
        final int maxInOneSecond;

        private Rate(double perSecond, int maxInOneSecond) {
            this.perSecond = perSecond;
            this.maxInOneSecond = maxInOneSecond;
        }

        static Rate of(List<Long> callNanos, long start, long end) {
            List<Long> in = callNanos.stream().filter(t -> t >= start && t < end).sorted()
                    .collect(java.util.stream.Collectors.toList());
            int max = 0;
            for (int i = 0, j = 0; i < in.size(); i++) {
                while (in.get(i) - in.get(j) >= TimeUnit.SECONDS.toNanos(1)) {
                    j++;
                }
                max = Math.max(max, i - j + 1);
            }
            return new Rate(in.size() / ((end - start) / 1e9), max);
        }
    }
}
