package io.paralleltranslation.ratelimit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link RaceWorker}s in separate JVMs against one DynamoDB item at once, then checks every
 * 60-second (and 60 s + margin) window of their combined grants. Shared by the multi-process test and the benchmark.
 */
final class RaceRun {
    /** What to race. */
    static final class Settings {
        long rpm = 30;
        long tpm = 900;
        long rpd = 1_000_000;
        int jvms = 2;
        int acquirersPerJvm = 6;
        int limitersPerJvm = 1;
        long durationMillis = 12_000;
        long speed = 10;
        long minTokens = 10;
        long maxTokens = 30;
        long holdMillis = 20;
        long windowMarginSeconds = QuotaConfig.DEFAULT_WINDOW_MARGIN.getSeconds();
        /**
         * Production uses 2 s. dynalite dies when a client aborts a request it is still reading, so
         * races on a crowded machine want patience rather than a timeout.
         */
        long attemptTimeoutMillis = 30_000;
    }

    /** What happened, over every JVM. */
    static final class Outcome {
        final Settings settings;
        final GrantLog grants = new GrantLog();
        final List<Long> latencyMicros = new ArrayList<>();
        /** WCU billed per second of the race's clock (quota time). */
        final java.util.TreeMap<Long, Long> wcuPerSecond = new java.util.TreeMap<>();
        long storeCalls;
        long granted;
        long conflicts;
        long denied;
        long errors;

        Outcome(Settings settings) {
            this.settings = settings;
        }

        /** Windows of 60 s over a limit: what an API counting arrivals could refuse. */
        int violations() {
            return grants.violations(settings.rpm, settings.tpm, GrantLog.MINUTE_MILLIS);
        }

        /** Windows of 60 s + the margin over a limit: what the limiter guarantees never happens. */
        int marginViolations() {
            return grants.violations(settings.rpm, settings.tpm,
                    GrantLog.MINUTE_MILLIS + settings.windowMarginSeconds * 1_000);
        }

        double sustainedUtilization() {
            return grants.sustainedUtilization(settings.rpm, settings.tpm);
        }

        double utilization() {
            return grants.utilization(settings.rpm, settings.tpm, settings.durationMillis * settings.speed);
        }

        double callsPerGrant() {
            return granted == 0 ? Double.NaN : storeCalls / (double) granted;
        }

        /** The most WCU any one second of quota time billed the item's partition. */
        long maxWcuPerSecond() {
            return wcuPerSecond.values().stream().mapToLong(Long::longValue).max().orElse(0);
        }

        /** The scale run's line: what 1,000 WCU/s per partition and 0.1 calls per grant are judged on. */
        String scaleResultLine() {
            return String.format(Locale.ROOT,
                    "RESULT instances=%d rpm=%d violations=%d utilization=%.3f ddb_calls_per_grant=%.3f "
                            + "max_wcu_per_s=%d",
                    settings.jvms * settings.limitersPerJvm, settings.rpm, violations(), utilization(),
                    callsPerGrant(), maxWcuPerSecond());
        }

        double percentileMillis(double p) {
            long[] sorted = latencyMicros.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1_000.0;
        }

        String resultLine() {
            return String.format(Locale.ROOT,
                    "RESULT violations=%d utilization=%.3f ddb_calls_per_grant=%.3f p50_acquire_ms=%.2f "
                            + "p99_acquire_ms=%.2f",
                    violations(), utilization(), callsPerGrant(), percentileMillis(0.50), percentileMillis(0.99));
        }

        /** Printed before the RESULT line, which keeps the exact format. */
        String details() {
            return String.format(Locale.ROOT,
                    "grants=%d (requests granted %d, tokens %d) acquires=%d denied=%d store_calls=%d "
                            + "conditional_failures=%d errors=%d margin_violations=%d sustained_utilization=%.3f",
                    granted, grants.size(), grants.tokens(), latencyMicros.size(), denied, storeCalls, conflicts, errors,
                    marginViolations(), sustainedUtilization());
        }
    }

    private RaceRun() {}

    static Outcome run(URI endpoint, String table, String scope, Settings settings, Path dir)
            throws IOException, InterruptedException {
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < settings.jvms; i++) {
                Path out = dir.resolve("worker-" + i + ".out");
                outputs.add(out);
                List<String> command = new ArrayList<>(Arrays.asList(
                        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m", "-cp", System.getProperty("java.class.path"), RaceWorker.class.getName()));
                command.addAll(workerArguments(endpoint, table, scope, settings, out));
                processes.add(new ProcessBuilder(command)
                        .redirectError(dir.resolve("worker-" + i + ".log").toFile()).start());
            }
            for (Process process : processes) {
                BufferedReader stdout = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                if (!"READY".equals(stdout.readLine())) {
                    throw new IllegalStateException("a race worker did not start; see " + dir);
                }
            }
            long base = System.currentTimeMillis() + 500;
            for (Process process : processes) {
                Writer stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
                stdin.write(base + "\n");
                stdin.flush();
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.durationMillis + 60_000);
            for (Process process : processes) {
                long left = deadline - System.nanoTime();
                if (!process.waitFor(Math.max(1, left), TimeUnit.NANOSECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("a race worker failed or hung; see " + dir);
                }
            }
        } finally {
            for (Process process : processes) {
                if (process.isAlive()) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        Outcome outcome = new Outcome(settings);
        for (Path out : outputs) {
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f[0].equals("G")) {
                    outcome.grants.add(Long.parseLong(f[1]), Long.parseLong(f[2]));
                } else if (f[0].equals("W")) {
                    outcome.wcuPerSecond.merge(Long.parseLong(f[1]) / 1_000, Long.parseLong(f[2]), Long::sum);
                } else if (f[0].equals("L")) {
                    outcome.latencyMicros.add(Long.parseLong(f[1]));
                } else {
                    outcome.storeCalls += Long.parseLong(f[1]);
                    outcome.granted += Long.parseLong(f[2]);
                    outcome.conflicts += Long.parseLong(f[3]);
                    outcome.denied += Long.parseLong(f[4]);
                    outcome.errors += Long.parseLong(f[5]);
                }
            }
        }
        return outcome;
    }

    static List<String> workerArguments(URI endpoint, String table, String scope, Settings s, Path out) {
        return Arrays.asList("endpoint=" + endpoint, "table=" + table, "scope=" + scope,
                "rpm=" + s.rpm, "tpm=" + s.tpm, "rpd=" + s.rpd, "instances=" + s.jvms * s.limitersPerJvm,
                "acquirers=" + s.acquirersPerJvm, "limiters=" + s.limitersPerJvm,
                "durationMillis=" + s.durationMillis, "speed=" + s.speed,
                "minTokens=" + s.minTokens, "maxTokens=" + s.maxTokens, "holdMillis=" + s.holdMillis,
                "attemptTimeoutMillis=" + s.attemptTimeoutMillis, "marginSeconds=" + s.windowMarginSeconds,
                "out=" + out.toAbsolutePath());
    }

}
