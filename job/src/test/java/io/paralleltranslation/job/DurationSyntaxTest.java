package io.paralleltranslation.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paralleltranslation.cli.Durations;
import io.paralleltranslation.job.config.ConfigFixtures;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.TranslateOptions;
import io.paralleltranslation.job.local.LocalRunTesting;
import io.paralleltranslation.job.quota.QuotaToolTesting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one duration syntax at every entry point of the job module: each of the job's config sources
 * and each duration flag of run-local and the quota tool (submit has none; the emulator's flags are
 * tested in its module, GeminiEmulatorMainTest).
 */
class DurationSyntaxTest {
    @TempDir
    Path dir;

    private static final String KEY = TranslateOptions.CHUNK_TIMEOUT.key();

    @ParameterizedTest
    @ValueSource(strings = {"10min", "5m", "PT30S"})
    void everyEntryPointReadsTheOneSyntax(String text) throws IOException {
        Duration expected = Durations.parse(text);
        String[] group = KEY.split("\\.", 2);
        Map<String, String> minimal = ConfigFixtures.minimalSettings("eu-west-1");

        // JobConfig.of
        Map<String, String> settings = ConfigFixtures.minimalSettings("eu-west-1");
        settings.put(KEY, text);
        assertThat(JobConfig.of(settings).get(TranslateOptions.CHUNK_TIMEOUT)).isEqualTo(expected);
        // JobConfig.load: --group.key arguments
        assertThat(JobConfig.load(args(minimal, "--" + KEY, text), Map::of).get(TranslateOptions.CHUNK_TIMEOUT))
                .isEqualTo(expected);
        // JobConfig.load: the --config JSON file
        Path json = Files.writeString(dir.resolve("config.json"), "{\"" + group[0] + "\": {\"" + group[1] + "\": \""
                + text + "\"}}", StandardCharsets.UTF_8);
        assertThat(JobConfig.load(args(minimal, "--config", json.toString()), Map::of)
                .get(TranslateOptions.CHUNK_TIMEOUT)).isEqualTo(expected);
        // JobConfig.load: Managed Flink's runtime property groups
        Properties translate = new Properties();
        translate.setProperty(group[1], text);
        assertThat(JobConfig.load(args(minimal), () -> Map.of(group[0], translate))
                .get(TranslateOptions.CHUNK_TIMEOUT)).isEqualTo(expected);

        // run-local: --max-wait, --set of a job key and of the emulator's durations
        assertThat(LocalRunTesting.maxWait("--max-wait", text)).isEqualTo(expected);
        assertThat(LocalRunTesting.setting("--set", KEY + "=" + text)).containsEntry(KEY, text);
        assertThat(LocalRunTesting.emulatorLatencyMillis("--set", "emulator.latency=" + text))
                .isEqualTo(expected.toMillis());
        assertThat(LocalRunTesting.emulatorJitterMillis("--set", "emulator.jitter=" + text))
                .isEqualTo(expected.toMillis());

        // quota --margin: read in the one syntax; above 60 s refused for its range, naming the flag
        if (expected.compareTo(Duration.ofSeconds(60)) <= 0) {
            assertThat(QuotaToolTesting.margin("show", "--margin", text)).isEqualTo(expected);
        } else {
            assertThatThrownBy(() -> QuotaToolTesting.margin("show", "--margin", text))
                    .hasMessageStartingWith("--margin must be at most 1 min").hasMessageNotContaining("no unit");
        }
    }

    private static String[] args(Map<String, String> settings, String... more) {
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }
}
