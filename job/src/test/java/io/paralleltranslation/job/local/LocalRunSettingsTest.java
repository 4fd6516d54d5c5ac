package io.paralleltranslation.job.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paralleltranslation.cli.Cli;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.JobOptions;
import io.paralleltranslation.job.config.KinesisOptions;
import io.paralleltranslation.job.config.QuotaOptions;
import io.paralleltranslation.job.config.TranslateOptions;
import java.net.URI;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalRunSettingsTest {
    @Test
    void dashboardPortIs8081UnlessSetToOnePort() {
        assertThat(LocalRun.restPort(Map.of())).isEqualTo(8081);
        assertThat(LocalRun.restPort(Map.of("flink.rest.bind-port", "18081"))).isEqualTo(18081);
        assertThatThrownBy(() -> LocalRun.restPort(Map.of("flink.rest.bind-port", "8081-8090")))
                .hasMessageContaining("one port");
        assertThatThrownBy(() -> LocalRun.restPort(Map.of("flink.rest.bind-port", "0")))
                .hasMessageContaining("one port");
    }

    @Test
    void jobSettingsBindEverythingToLoopbackFollowTheFlagsAndLetSetWin() {
        LocalRunOptions options = Cli.parse(new LocalRunOptions(Paths.get("samples"), Paths.get("out")),
                "--rpm", "600", "--capacity", "4", "--parallelism", "1", "--set", "translate.max-attempts=2",
                "--set", "job.checkpoint-interval=5s");
        Map<String, String> settings = LocalRun.jobSettings(options, "arn:aws:kinesis:us-east-1:000000000000:stream/s",
                URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"), Paths.get("/tmp/out"), 8081);
        settings.put("gemini.base-url", "http://127.0.0.1:3");
        settings.put("gemini.api-key-source", "literal:k");

        JobConfig config = JobConfig.of(settings, options.settings());

        assertThat(config.get(QuotaOptions.RPM)).isEqualTo(600);
        assertThat(config.get(TranslateOptions.CAPACITY)).isEqualTo(4);
        assertThat(config.get(JobOptions.PARALLELISM)).isEqualTo(1);
        assertThat(config.get(TranslateOptions.MAX_ATTEMPTS)).isEqualTo(2);
        assertThat(config.get(JobOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.get(KinesisOptions.INITIAL_POSITION)).isEqualTo(KinesisOptions.InitialPosition.TRIM_HORIZON);
        assertThat(config.flinkSettings()).containsEntry("rest.bind-port", "8081")
                .containsEntry("rest.bind-address", "127.0.0.1").containsEntry("jobmanager.bind-host", "127.0.0.1")
                .containsEntry("taskmanager.bind-host", "127.0.0.1").containsEntry("taskmanager.host", "127.0.0.1")
                .containsEntry("jobmanager.rpc.address", "127.0.0.1");
    }
}
