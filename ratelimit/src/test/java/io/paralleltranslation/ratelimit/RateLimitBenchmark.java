package io.paralleltranslation.ratelimit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The limiter under contention, in real time (run by {@code bench/ratelimit.sh}): acquirers in
 * several JVMs, one limiter per JVM (or more, to show what sharing saves), one dynalite item, a
 * quota far below demand. Prints its settings and counts on stderr and the RESULT line last on
 * stdout. Settings come from environment variables (see the script).
 */
public final class RateLimitBenchmark {
    private static final String SCOPE = "gemini#bench#model";

    private RateLimitBenchmark() {}

    public static void main(String[] args) throws Exception {
        RaceRun.Settings s = new RaceRun.Settings();
        s.jvms = intEnv("BENCH_JVMS", 2);
        s.acquirersPerJvm = intEnv("BENCH_ACQUIRERS", 40) / s.jvms;
        s.limitersPerJvm = intEnv("BENCH_LIMITERS_PER_JVM", 1);
        s.durationMillis = intEnv("BENCH_SECONDS", 75) * 1_000L;
        s.rpm = intEnv("BENCH_RPM", 120);
        s.tpm = intEnv("BENCH_TPM", 4_800);
        s.minTokens = 30;
        s.maxTokens = 50;
        s.holdMillis = 100;
        s.speed = 1;
        s.windowMarginSeconds = intEnv("BENCH_MARGIN", (int) QuotaConfig.DEFAULT_WINDOW_MARGIN.getSeconds());
        // dynalite dies when a client aborts a request it is still reading (index.js: req.on('error',
        // throw)): a patient client keeps the stand-in alive on a crowded machine.
        s.attemptTimeoutMillis = 30_000;
        System.err.printf("bench: %d JVMs x %d acquirers, %d limiter(s) per JVM, %d s, RPM %d, TPM %d, "
                        + "estimates %d-%d tokens, window margin %d s%n", s.jvms, s.acquirersPerJvm,
                s.limitersPerJvm, s.durationMillis / 1_000, s.rpm, s.tpm, s.minTokens, s.maxTokens,
                s.windowMarginSeconds);
        Path dir = Files.createTempDirectory("ratelimit-bench-");
        RaceRun.Outcome outcome;
        try (Dynalite dynalite = new Dynalite()) {
            // The item's size as DynamoDB bills it, sampled every second while the race runs: write
            // units per UpdateItem follow its largest size (one unit per started KB).
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            long[] largest = new long[4];
            sampler.scheduleAtFixedRate(() -> {
                Map<String, AttributeValue> item;
                try {
                    item = dynalite.client().getItem(b -> b.tableName(Dynalite.TABLE)
                            .key(Map.of(QuotaTable.PARTITION_KEY, AttributeValue.builder().s(SCOPE).build()))
                            .consistentRead(true)).join().item();
                } catch (RuntimeException e) {
                    synchronized (largest) {
                        largest[3]++;
                    }
                    return;
                }
                long bytes = item == null ? 0 : ItemSize.bytes(item);
                synchronized (largest) {
                    largest[2]++;
                    if (bytes > largest[0]) {
                        largest[0] = bytes;
                        largest[1] = item.keySet().stream().filter(name -> name.matches("r[0-9]+")).count();
                    }
                }
            }, 1, 1, TimeUnit.SECONDS);
            try {
                outcome = RaceRun.run(dynalite.endpoint(), Dynalite.TABLE, SCOPE, s, dir);
            } finally {
                sampler.shutdownNow();
                sampler.awaitTermination(10, TimeUnit.SECONDS);
            }
            synchronized (largest) {
                System.err.printf("bench: largest quota item: %d bytes with %d slots (%d write units per"
                        + " UpdateItem, %d read units per consistent GetItem); %d samples, %d failed%n", largest[0],
                        largest[1], (largest[0] + 1023) / 1024, (largest[0] + 4095) / 4096, largest[2], largest[3]);
            }
        }
        System.err.println("bench: " + outcome.details() + "; worker logs in " + dir);
        System.out.println(outcome.resultLine());
    }

    private static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : Integer.parseInt(value);
    }
}
