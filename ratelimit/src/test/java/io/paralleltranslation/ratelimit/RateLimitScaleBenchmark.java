package io.paralleltranslation.ratelimit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The limiter at a paid tier's scale (run by {@code bench/ratelimit-scale.sh}): 16 limiter
 * instances (4 JVMs x 4 unshared limiters, as 16 TaskManagers would hold) race for ONE dynalite
 * item at 30,000 RPM with demand far above it. Time runs {@code BENCH_SPEED} times faster than
 * real time (default 1: not compressed). Prints the RESULT line last:
 * {@code RESULT instances rpm violations utilization ddb_calls_per_grant max_wcu_per_s}, with WCU
 * computed from the size of every item written (conditional failures included), per second of
 * quota time.
 */
public final class RateLimitScaleBenchmark {
    private RateLimitScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        RaceRun.Settings s = new RaceRun.Settings();
        s.jvms = intEnv("BENCH_JVMS", 4);
        s.limitersPerJvm = intEnv("BENCH_LIMITERS_PER_JVM", 4);
        s.acquirersPerJvm = intEnv("BENCH_ACQUIRERS_PER_LIMITER", 3) * s.limitersPerJvm;
        s.rpm = intEnv("BENCH_RPM", 30_000);
        s.tpm = intEnv("BENCH_TPM", 30_000_000);
        s.speed = intEnv("BENCH_SPEED", 1);
        s.durationMillis = intEnv("BENCH_SECONDS", 130) * 1_000L;
        s.minTokens = 200;
        s.maxTokens = 800;
        s.holdMillis = 20;
        s.attemptTimeoutMillis = 30_000;
        System.err.printf("bench-scale: %d JVMs x %d limiters (%d instances), %d acquirers per JVM, %d s real at "
                        + "speed %d (%d s of quota time), RPM %d, TPM %d%n", s.jvms, s.limitersPerJvm,
                s.jvms * s.limitersPerJvm, s.acquirersPerJvm, s.durationMillis / 1_000, s.speed,
                s.durationMillis * s.speed / 1_000, s.rpm, s.tpm);
        Path dir = Files.createTempDirectory("ratelimit-scale-");
        RaceRun.Outcome outcome;
        try (Dynalite dynalite = new Dynalite()) {
            outcome = RaceRun.run(dynalite.endpoint(), Dynalite.TABLE, "gemini#scale#model", s, dir);
        }
        System.err.println("bench-scale: " + outcome.details() + String.format(java.util.Locale.ROOT,
                " p50_acquire_ms=%.2f p99_acquire_ms=%.2f", outcome.percentileMillis(0.5),
                outcome.percentileMillis(0.99)) + "; worker logs in " + dir);
        System.out.println(outcome.scaleResultLine());
    }

    private static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : Integer.parseInt(value);
    }
}
