package io.paralleltranslation.job.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs the submit tool ({@code bin/submit}'s code, {@code SubmitTool}) in a child JVM on this
 * JVM's classpath, so the local run puts exactly what a user's {@code bin/submit} would. Its
 * progress is copied to this process's stderr; its stdout is the jobIds, one per file, in order.
 */
final class SubmitProcess {
    private static final String TOOL = "io.paralleltranslation.job.submit.SubmitTool";
    private static final long TIMEOUT_MINUTES = 10;
    /** The tool's line just before it puts a document's first record. */
    private static final Pattern PUTTING = Pattern.compile("^submit: .*: \\d+ chunks, jobId .*");
    /** The tool's line once a document's last PutRecords call returned. */
    private static final Pattern ALL_PUT = Pattern.compile("^submit: .*: (\\d+)/\\1 chunks put$");

    /**
     * The jobIds; when the first record was about to be put (System.nanoTime() and epoch millis);
     * when the last document's last PutRecords call returned (epoch millis, 0 if never seen).
     */
    static final class Result {
        final List<String> jobIds;
        final long firstPutNanos;
        final long firstPutMillis;
        final long lastPutMillis;

        Result(List<String> jobIds, long firstPutNanos, long firstPutMillis, long lastPutMillis) {
            this.jobIds = jobIds;
            this.firstPutNanos = firstPutNanos;
            this.firstPutMillis = firstPutMillis;
            this.lastPutMillis = lastPutMillis;
        }
    }

    /** What the progress lines told, written by the reader thread. */
    private static final class Progress {
        volatile long firstPutNanos;
        volatile long firstPutMillis;
        volatile long lastPutMillis;
    }

    private SubmitProcess() {}

    static Result submit(String streamArn, URI endpoint, String region, String targetLanguage,
            int chunkTokens, List<Path> files, PrintStream err) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        // A short-lived tool: C1 only starts faster, which matters next to a busy MiniCluster.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TOOL);
        command.add("--stream");
        command.add(streamArn);
        command.add("--endpoint");
        command.add(endpoint.toString());
        command.add("--region");
        command.add(region);
        command.add("--target-lang");
        command.add(targetLanguage);
        command.add("--chunk-tokens");
        command.add(Integer.toString(chunkTokens));
        for (Path file : files) {
            command.add(file.toString());
        }
        long startNanos = System.nanoTime();
        Process process = new ProcessBuilder(command).start();
        Progress times = new Progress();
        times.firstPutNanos = startNanos;
        times.firstPutMillis = System.currentTimeMillis();
        Thread progress = new Thread(() -> copyProgress(process, err, times), "submit-progress");
        progress.setDaemon(true);
        progress.start();
        List<String> jobIds = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (!line.isBlank()) {
                    jobIds.add(line.trim());
                }
            }
        } finally {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            progress.join(TimeUnit.SECONDS.toMillis(5));
        }
        int status = process.exitValue();
        if (status != 0 || jobIds.size() != files.size()) {
            throw new IOException("the submit tool exited with status " + status + " after putting "
                    + jobIds.size() + " of " + files.size() + " documents (its messages are above)");
        }
        return new Result(jobIds, times.firstPutNanos, times.firstPutMillis, times.lastPutMillis);
    }

    private static void copyProgress(Process process, PrintStream err, Progress times) {
        boolean seen = false;
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!seen && PUTTING.matcher(line).matches()) {
                    times.firstPutNanos = System.nanoTime();
                    times.firstPutMillis = System.currentTimeMillis();
                    seen = true;
                } else if (ALL_PUT.matcher(line).matches()) {
                    times.lastPutMillis = System.currentTimeMillis();
                }
                err.println(line);
            }
        } catch (IOException e) {
            err.println("run-local: lost the submit tool's progress: " + e.getMessage());
        }
    }
}
