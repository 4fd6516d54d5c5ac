package io.paralleltranslation.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.localservices.LocalServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.io.output.TeeOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/run-local --exit-when-done} on the bundled samples, end to end, in this JVM. */
class LocalRunITCase {
    private static final Pattern JOB_ROW = Pattern.compile("^(\\S+)\\s+(\\S+)\\s+COMPLETE\\s+(\\d+)\\s+[\\d.]+$");

    @TempDir
    Path out;

    @Test
    @Timeout(150)
    void translatesTheBundledSamplesAndStopsEverythingItStarted() throws IOException {
        int dashboardPort = LocalServices.freePort();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        LocalRun run = new LocalRun(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(new TeeOutputStream(stderr, System.err), true, StandardCharsets.UTF_8));
        int status;
        try {
            status = run.run(new String[] {"--docs", LocalServices.projectRoot().resolve("samples").toString(),
                    "--out", out.toString(), "--exit-when-done", "--max-wait", "90s",
                    "--set", "emulator.latency=300ms", "--set", "emulator.jitter=100ms",
                    "--set", "flink.rest.bind-port=" + dashboardPort});
        } finally {
            run.stop();
        }

        List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        assertThat(status).as("exit status; stdout:%n%s", stdout).isZero();
        assertThat(lines.get(lines.size() - 1)).matches("RESULT documents=4 complete=4 incomplete=0 dead_letters=0 "
                + "chunks=34 wall_s=\\d+\\.\\d gemini_calls=\\d+ gemini_429=0 tokens_in=[1-9]\\d* tokens_out=[1-9]\\d* "
                + "cost_usd=(?!0\\.000000)\\d+\\.\\d{6}");
        int rows = 0;
        for (String line : lines) {
            Matcher row = JOB_ROW.matcher(line);
            if (row.matches()) {
                rows++;
                assertThat(documentFiles(out.resolve(row.group(1)))).as("document of %s", row.group(2)).hasSize(1);
            }
        }
        assertThat(rows).isEqualTo(4);
        // What the benchmarks read from stderr: the dashboard's URL with the Flink job's id, the
        // checkpoint statistics read from the job's MiniCluster.
        assertThat(stderr.toString(StandardCharsets.UTF_8).lines())
                .anyMatch(line -> line.matches("run-local: Flink dashboard on http://127\\.0\\.0\\.1:" + dashboardPort
                        + " \\(job [0-9a-f]{32}\\)"))
                .anyMatch(line -> line.matches("run-local: checkpoints: [1-9]\\d* completed, \\d+ failed, .*"));
        assertThat(portIsFree(dashboardPort)).as("the MiniCluster's dashboard stopped").isTrue();
    }

    private static List<Path> documentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> f.toFile().length() > 0)
                    .collect(Collectors.toList());
        }
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }
}
