package io.paralleltranslation.job.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the submit tool ({@code bin/submit}'s code, {@code SubmitTool}) in a child JVM on this
 * JVM's classpath, so the local run puts exactly what a user's {@code bin/submit} would. Its
 * progress goes to this process's stderr; its stdout is the jobIds, one per file, in order.
 */
final class SubmitProcess {
    private static final String TOOL = "io.paralleltranslation.job.submit.SubmitTool";
    private static final long TIMEOUT_MINUTES = 10;

    private SubmitProcess() {}

    static List<String> submit(String streamArn, URI endpoint, String region, String targetLanguage,
            int chunkTokens, List<Path> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
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
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
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
        }
        int status = process.exitValue();
        if (status != 0 || jobIds.size() != files.size()) {
            throw new IOException("the submit tool exited with status " + status + " after putting "
                    + jobIds.size() + " of " + files.size() + " documents (its messages are above)");
        }
        return jobIds;
    }
}
