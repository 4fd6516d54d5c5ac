package io.paralleltranslation.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paralleltranslation.job.local.PhaseTimes;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads what {@code bench/compare.sh} recorded, one folder per scenario with a
 * {@code scenario.properties} and one folder per contender ({@code result.properties} and the
 * emulator's {@code stats.json}), prints a table row per scenario and contender, writes the plots
 * (SVG) into {@code <dir>/plots/}, and ends with the {@code RESULT} line.
 */
public final class CompareReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> CONTENDERS = List.of("sequential", "naive", "ours");

    private CompareReport() {}

    /** One contender's run of one scenario. */
    static final class Run {
        final String contender;
        final double wallSeconds;
        final int failedChunks;
        final int calls;
        final int count429;
        final int maxOkInAnyWindow;
        /** Arrival millis of every request, relative to the first; with status and answer delay. */
        final List<long[]> requests;
        /** Seconds from submission to each document's outcome; NaN for a document that did not complete. */
        final List<Double> documentSeconds;
        /** This job's runs: where the time went, with the emulator's first arrival and last answer; else null. */
        PhaseTimes phases;

        Run(String contender, double wallSeconds, int failedChunks, JsonNode stats, List<Double> documentSeconds) {
            this.contender = contender;
            this.wallSeconds = wallSeconds;
            this.failedChunks = failedChunks;
            this.calls = stats.get("requests").asInt();
            this.count429 = stats.get("byStatus").path("429").asInt(0);
            this.maxOkInAnyWindow = stats.get("maxRequestsInAnyWindow").path("OK").asInt(0);
            this.requests = new ArrayList<>();
            long first = Long.MAX_VALUE;
            for (JsonNode e : stats.get("log")) {
                first = Math.min(first, e.get("timeMillis").asLong());
            }
            for (JsonNode e : stats.get("log")) {
                requests.add(new long[] {e.get("timeMillis").asLong() - first, e.get("status").asInt(),
                        e.path("answerDelayMillis").asLong(0)});
            }
            requests.sort((a, b) -> Long.compare(a[0], b[0]));
            this.documentSeconds = documentSeconds;
        }
    }

    /** A scenario and its runs. */
    static final class Scenario {
        final String name;
        final int order;
        final int chunks;
        final long latencyMillis;
        final int concurrency;
        final long rpm;
        final long tpm;
        final long rpd;
        final Map<String, Run> runs = new LinkedHashMap<>();

        Scenario(String name, Properties p) {
            this.name = name;
            this.order = Integer.parseInt(p.getProperty("order", "0"));
            this.chunks = Integer.parseInt(p.getProperty("chunks"));
            this.latencyMillis = Long.parseLong(p.getProperty("latency_ms"));
            this.concurrency = Integer.parseInt(p.getProperty("concurrency"));
            this.rpm = Long.parseLong(p.getProperty("rpm"));
            this.tpm = Long.parseLong(p.getProperty("tpm"));
            this.rpd = Long.parseLong(p.getProperty("rpd"));
        }

        long tokensPerCall() {
            Run ours = runs.get("ours");
            return ours == null ? 4_000 : Math.max(1, oursInputTokens / Math.max(1, chunks));
        }

        long oursInputTokens;

        double bound() {
            return PhysicalBound.seconds(chunks, latencyMillis, concurrency, rpm, tpm, rpd, tokensPerCall());
        }

        boolean quotaBinds() {
            return bound() > PhysicalBound.seconds(chunks, latencyMillis, concurrency, 0, 0, 0, 1) + 0.001;
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args[0]);
        List<Scenario> scenarios = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path s : children.filter(p -> Files.exists(p.resolve("scenario.properties"))).sorted()
                    .collect(Collectors.toList())) {
                scenarios.add(read(s));
            }
        }
        scenarios.sort(java.util.Comparator.comparingInt(s -> s.order));
        Path plots = Files.createDirectories(dir.resolve("plots"));
        StringBuilder result = new StringBuilder("RESULT");
        System.out.printf(Locale.ROOT, "%-14s %-10s %8s %8s %6s %5s %7s %6s %6s%n", "scenario", "contender", "wall_s",
                "bound_s", "ratio", "429s", "failed", "calls", "quota");
        for (Scenario s : scenarios) {
            double bound = s.bound();
            for (Run r : s.runs.values()) {
                String quota = s.quotaBinds() ? String.format(Locale.ROOT, "%.2f", (double) r.maxOkInAnyWindow / s.rpm)
                        : "-";
                // A run that lost chunks did not do the work: its time is no ratio to the bound.
                String ratio = r.failedChunks == 0 ? String.format(Locale.ROOT, "%.2f", bound / r.wallSeconds) : "-";
                System.out.printf(Locale.ROOT, "%-14s %-10s %8.1f %8.1f %6s %5d %7d %6d %6s%n", s.name,
                        r.contender, r.wallSeconds, bound, ratio, r.count429, r.failedChunks, r.calls, quota);
            }
            Run ours = s.runs.get("ours");
            Run naive = s.runs.get("naive");
            if (ours != null) {
                result.append(String.format(Locale.ROOT, " %s_ours_s=%.1f %s_bound_s=%.1f %s_ratio=%.2f %s_ours_429=%d",
                        s.name, ours.wallSeconds, s.name, bound, s.name, bound / ours.wallSeconds, s.name,
                        ours.count429));
            }
            if (naive != null) {
                result.append(String.format(Locale.ROOT, " %s_naive_failed=%d", s.name, naive.failedChunks));
            }
            Files.writeString(plots.resolve(s.name + "-requests.svg"), Plots.requestsOverTime(s), StandardCharsets.UTF_8);
            Files.writeString(plots.resolve(s.name + "-in-flight.svg"), Plots.inFlight(s), StandardCharsets.UTF_8);
            Files.writeString(plots.resolve(s.name + "-documents.svg"), Plots.documentTimes(s), StandardCharsets.UTF_8);
        }
        for (Scenario s : scenarios) {
            for (Run r : s.runs.values()) {
                if (r.phases != null) {
                    System.out.printf(Locale.ROOT, "%s %s: where the time went (bound %.1f s)%n", s.name, r.contender,
                            s.bound());
                    System.out.print(r.phases.table("  "));
                }
            }
        }
        System.out.println("bench: plots in " + plots);
        System.out.println(result);
    }

    static Scenario read(Path dir) throws IOException {
        Scenario s = new Scenario(dir.getFileName().toString(), properties(dir.resolve("scenario.properties")));
        for (String contender : CONTENDERS) {
            Path c = dir.resolve(contender);
            if (!Files.exists(c.resolve("result.properties"))) {
                continue;
            }
            Properties p = properties(c.resolve("result.properties"));
            JsonNode stats = JSON.readTree(c.resolve("stats.json").toFile());
            List<Double> docs = new ArrayList<>();
            int failed;
            Path statusDir = c.resolve("out").resolve("_status");
            if (Files.isDirectory(statusDir)) {
                failed = finalStatuses(statusDir, docs);
            } else {
                for (String d : p.getProperty("document_seconds", "").split(",")) {
                    if (!d.isBlank()) {
                        docs.add(Double.parseDouble(d));
                    }
                }
                failed = Integer.parseInt(p.getProperty("failed", "0"));
            }
            Run run = new Run(contender, Double.parseDouble(p.getProperty("wall_s")), failed, stats, docs);
            if (p.getProperty("phases") != null) {
                List<long[]> requests = new ArrayList<>();
                for (JsonNode e : stats.get("log")) {
                    requests.add(new long[] {e.get("timeMillis").asLong(), e.path("answerDelayMillis").asLong(0)});
                }
                run.phases = PhaseTimes.parse(p.getProperty("phases")).withRequests(requests);
            }
            s.runs.put(contender, run);
            if (contender.equals("ours")) {
                long tokens = 0;
                for (JsonNode e : stats.get("log")) {
                    tokens += e.get("status").asInt() == 200 ? e.get("inputTokens").asLong() : 0;
                }
                s.oursInputTokens = tokens;
            }
        }
        return s;
    }

    /**
     * Each document's final status (COMPLETE, FAILED or INCOMPLETE; progress records are skipped), in
     * the order of their source names, as seconds from first chunk seen to outcome (NaN unless
     * COMPLETE) into {@code seconds}; returns the chunks that failed or were missing.
     */
    static int finalStatuses(Path statusDir, List<Double> seconds) throws IOException {
        Map<String, JsonNode> bySource = new java.util.TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(statusDir)) {
            files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .collect(Collectors.toList());
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode status = JSON.readTree(line);
                String outcome = status.path("outcome").asText();
                if (outcome.equals("COMPLETE") || outcome.equals("FAILED") || outcome.equals("INCOMPLETE")) {
                    bySource.put(status.path("source").asText(status.path("jobId").asText()), status);
                }
            }
        }
        int failed = 0;
        for (JsonNode status : bySource.values()) {
            boolean complete = status.path("outcome").asText().equals("COMPLETE");
            seconds.add(complete ? status.path("durationMillis").asLong() / 1000.0 : Double.NaN);
            failed += status.path("failedChunks").size() + status.path("missingIndices").size();
        }
        return failed;
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
