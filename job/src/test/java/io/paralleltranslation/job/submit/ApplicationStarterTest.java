package io.paralleltranslation.job.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** {@code submit --start} against a fake of the Managed Flink API speaking its JSON protocol over HTTP. */
class ApplicationStarterTest {
    private static final String APP = "pt-dev-translator";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Duration> sleeps = new ArrayList<>();
    private FakeManagedFlink fake;

    @AfterEach
    void stop() {
        if (fake != null) {
            fake.close();
        }
    }

    private int ensureRunning(String application, Duration timeout) {
        ManagedFlinkApi api = ManagedFlinkHttpApi.create("eu-west-1", fake.endpoint());
        return new ApplicationStarter(api, new PrintStream(err, true, StandardCharsets.UTF_8), sleeps::add,
                Duration.ofSeconds(10), timeout).ensureRunning(application);
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void startsAStoppedApplicationFromItsLatestSnapshotAndWaitsUntilItRuns() throws Exception {
        fake = new FakeManagedFlink(APP, "READY");
        fake.afterStart.addAll(List.of("STARTING", "STARTING", "RUNNING"));

        assertThat(ensureRunning(APP, Duration.ofMinutes(15))).isZero();

        assertThat(fake.status()).isEqualTo("RUNNING");
        assertThat(fake.startRequests).singleElement().satisfies(start -> {
            assertThat(start.at("/RunConfiguration/ApplicationRestoreConfiguration/ApplicationRestoreType").asText())
                    .isEqualTo("RESTORE_FROM_LATEST_SNAPSHOT");
            assertThat(start.at("/RunConfiguration/FlinkRunConfiguration/AllowNonRestoredState").asBoolean(true))
                    .isFalse();
        });
        assertThat(fake.operations).containsExactly("DescribeApplication", "ListApplicationSnapshots",
                "StartApplication", "DescribeApplication", "DescribeApplication", "DescribeApplication");
        assertThat(sleeps).hasSize(3).allMatch(d -> d.equals(Duration.ofSeconds(10)));
        assertThat(errText()).contains("is READY", "starting pt-dev-translator from its latest snapshot", "is RUNNING");
    }

    @Test
    void aFirstStartHasNoSnapshotToRestore() throws Exception {
        fake = new FakeManagedFlink(APP, "READY");
        fake.hasSnapshot = false;
        fake.afterStart.add("RUNNING");

        assertThat(ensureRunning(APP, Duration.ofMinutes(15))).isZero();

        assertThat(fake.startRequests.get(0).at("/RunConfiguration/ApplicationRestoreConfiguration/"
                + "ApplicationRestoreType").asText()).isEqualTo("SKIP_RESTORE_FROM_SNAPSHOT");
    }

    @Test
    void aRunningApplicationIsLeftAlone() throws Exception {
        fake = new FakeManagedFlink(APP, "RUNNING");

        assertThat(ensureRunning(APP, Duration.ofMinutes(15))).isZero();

        assertThat(fake.operations).containsExactly("DescribeApplication");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void anApplicationStillStoppingIsStartedOnceItIsReady() throws Exception {
        fake = new FakeManagedFlink(APP, "STOPPING");
        fake.beforeStart.addAll(List.of("STOPPING", "STOPPING", "READY"));
        fake.afterStart.add("RUNNING");

        assertThat(ensureRunning(APP, Duration.ofMinutes(15))).isZero();

        assertThat(fake.startRequests).hasSize(1);
        assertThat(errText()).contains("is STOPPING", "is READY", "is RUNNING");
    }

    @Test
    void anUnknownApplicationIsOneLineNamingTheFix() throws Exception {
        fake = new FakeManagedFlink(APP, "READY");

        assertThat(ensureRunning("pt-dve-translator", Duration.ofMinutes(15))).isEqualTo(1);

        assertThat(errText().trim()).doesNotContain("\n").contains("cannot start application pt-dve-translator",
                "ResourceNotFoundException", "Application pt-dve-translator not found", "check --start and --region");
    }

    @Test
    void givesUpAfterTheTimeoutAndWhenAStartFallsBackToReady() throws Exception {
        fake = new FakeManagedFlink(APP, "READY");
        fake.afterStart.add("STARTING");
        assertThat(ensureRunning(APP, Duration.ofMinutes(1))).isEqualTo(1);
        assertThat(errText()).contains("is still STARTING after 1 min; nothing put");
        assertThat(sleeps).hasSize(7);
        fake.close();

        err.reset();
        fake = new FakeManagedFlink(APP, "READY");
        fake.afterStart.addAll(List.of("STARTING", "READY"));
        assertThat(ensureRunning(APP, Duration.ofMinutes(15))).isEqualTo(1);
        assertThat(errText()).contains("did not start (it is READY again)");
        assertThat(fake.startRequests).hasSize(1);
    }

    @Test
    void aStartTheServiceHasNotShownYetIsWaitedFor() throws Exception {
        fake = new FakeManagedFlink(APP, "READY");
        fake.afterStart.addAll(List.of("READY", "STARTING", "RUNNING"));

        assertThat(ensureRunning(APP, Duration.ofMinutes(15))).isZero();

        assertThat(fake.startRequests).hasSize(1);
    }

    @Test
    void theSubmitToolPutsOnlyOnceTheApplicationRuns() throws Exception {
        fake = new FakeManagedFlink(APP, "READY");
        fake.afterStart.addAll(List.of("STARTING", "RUNNING"));
        Path doc = Files.writeString(dir.resolve("doc.md"), "One paragraph to translate.\n");
        List<String> statusAtPut = new ArrayList<>();
        SubmitTool tool = new SubmitTool(new PrintStream(err, true),
                Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        SubmitOptions options = Cli.parse(new SubmitOptions(), new String[] {"--stream",
                "arn:aws:kinesis:eu-west-1:123456789012:stream/pt-dev-chunks", "--target-lang", "de",
                "--start", APP, "--managed-flink-endpoint", fake.endpoint().toString(), doc.toString()});
        ApplicationStarter fast = new ApplicationStarter(ManagedFlinkHttpApi.create(options.region(),
                options.managedFlinkEndpoint), new PrintStream(err, true), sleeps::add, Duration.ofSeconds(10),
                Duration.ofMinutes(15));

        SubmitTool.Result result = tool.run(options, request -> {
            statusAtPut.add(fake.status());
            return PutRecordsResponse.builder().failedRecordCount(0).records(request.records().stream()
                    .map(e -> PutRecordsResultEntry.builder().sequenceNumber("1").shardId("s").build())
                    .collect(Collectors.toList())).build();
        }, () -> null, () -> fast.ensureRunning(options.startApplication));

        assertThat(result.status).isZero();
        assertThat(statusAtPut).containsOnly("RUNNING").isNotEmpty();
        assertThat(result.documentIds).hasSize(1);
    }

    @Test
    void theSubmitToolPutsNothingWhenTheApplicationDoesNotStart() throws Exception {
        fake = new FakeManagedFlink(APP, "DELETING");
        Path doc = Files.writeString(dir.resolve("doc.md"), "One paragraph to translate.\n");
        SubmitTool tool = new SubmitTool(new PrintStream(err, true), Clock.systemUTC());
        SubmitOptions options = Cli.parse(new SubmitOptions(), new String[] {"--stream", "pt-dev-chunks", "--region", "eu-west-1",
                "--target-lang", "de", "--start", APP, "--managed-flink-endpoint", fake.endpoint().toString(),
                doc.toString()});
        List<Object> puts = new ArrayList<>();

        SubmitTool.Result result = tool.run(options, request -> {
            puts.add(request);
            return PutRecordsResponse.builder().failedRecordCount(0).build();
        }, () -> null, () -> tool.startApplication(options));

        assertThat(result.status).isEqualTo(1);
        assertThat(result.documentIds).isEmpty();
        assertThat(puts).isEmpty();
        assertThat(errText()).contains("is being deleted; nothing put");
    }

    @Test
    void anEndpointWithoutStartIsACliMistake() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Cli.parse(new SubmitOptions(), 
                new String[] {"--stream", "s", "--target-lang", "de", "--managed-flink-endpoint", "http://127.0.0.1:1/",
                        "f.md"})).withMessage("--managed-flink-endpoint needs --start APPLICATION");
    }
}
