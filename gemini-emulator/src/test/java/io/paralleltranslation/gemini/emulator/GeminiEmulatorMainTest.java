package io.paralleltranslation.gemini.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paralleltranslation.cli.Cli;
import io.paralleltranslation.cli.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class GeminiEmulatorMainTest {
    private static GeminiEmulator.Builder parse(String... args) {
        return Cli.parse(new GeminiEmulatorMain.Options(), args).builder();
    }

    @Test
    void parsesEveryFlag() {
        assertThatCode(() -> parse("--port", "0", "--api-key", "k", "--rpm", "10",
            "--tpm", "250000", "--rpd", "250", "--paid-tier", "--latency", "200ms", "--latency-per-token-ms", "0.5",
            "--jitter", "50ms", "--models", "gemini-2.5-flash,gemini-2.5-pro", "--fault-rate", "503=0.1,500=0.02",
            "--fault-next", "SAFETY:1,DROP:2", "--fault-delay", "1s", "--fault-slow", "500ms", "--seed", "9",
            "--no-log-texts")).doesNotThrowAnyException();
    }

    /** The one duration syntax on every duration flag (the job module's DurationSyntaxTest has the others). */
    @ParameterizedTest
    @ValueSource(strings = {"10min", "5m", "PT30S"})
    void everyDurationFlagReadsTheOneSyntax(String text) {
        for (String flag : new String[] {"--latency", "--jitter", "--fault-delay", "--fault-slow"}) {
            assertThat(durationOf(flag, text)).as(flag).isEqualTo(Durations.parse(text));
            assertThatThrownBy(() -> parse(flag, "300")).as(flag)
                    .hasMessageContaining("'" + flag + "'").hasMessageContaining("no unit");
            assertThatThrownBy(() -> parse(flag, "-PT1S")).as(flag)
                    .hasMessageContaining("'" + flag + "'").hasMessageContaining("must not be negative");
        }
    }

    private static Duration durationOf(String flag, String value) {
        GeminiEmulatorMain.Options options = Cli.parse(new GeminiEmulatorMain.Options(), flag, value);
        switch (flag) {
            case "--latency":
                return options.latency;
            case "--jitter":
                return options.jitter;
            case "--fault-delay":
                return options.faultDelay;
            default:
                return options.faultSlow;
        }
    }

    @Test
    void helpListsEveryFlag() {
        CommandLine model = Cli.commandLine(new GeminiEmulatorMain.Options());
        String help = model.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(model.getCommandSpec().options()).allSatisfy(option -> assertThat(help).contains(option.longestName()));
        // By hand, so a flag dropped from the model (and so from the loop above) fails too.
        assertThat(help).contains("--port", "--api-key", "--rpm", "--tpm", "--rpd", "--paid-tier", "--latency",
                "--latency-per-token-ms", "--jitter", "--models", "--fault-rate", "--fault-next", "--fault-delay",
                "--fault-slow", "--seed", "--no-log-texts", "--help");
    }

    @Test
    void rejectsBadFlagsClearly() {
        assertThatThrownBy(() -> parse("--rpm")).hasMessageContaining("'--rpm'");
        assertThatThrownBy(() -> parse("--nope", "1")).hasMessageContaining("Unknown option");
        assertThatThrownBy(() -> parse("--fault-rate", "TEAPOT=0.5"))
                .hasMessageContaining("unknown fault");
        assertThatThrownBy(() -> parse("--fault-next", "503"))
                .hasMessageContaining("FAULT:COUNT");
        assertThatThrownBy(() -> parse("--rpm", "-1")).hasMessageContaining("--rpm must be >= 0");
        assertThatThrownBy(() -> parse("--jitter", "-PT1S")).hasMessageContaining("--jitter");
        assertThatThrownBy(() -> parse("--port", "http")).hasMessageContaining("'--port'");
    }
}
