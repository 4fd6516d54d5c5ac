package io.paralleltranslation.gemini.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paralleltranslation.cli.Cli;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GeminiEmulatorMainTest {
    @Test
    void parsesEveryFlag() {
        assertThatCode(() -> GeminiEmulatorMain.parse("--port", "0", "--api-key", "k", "--rpm", "10",
            "--tpm", "250000", "--rpd", "250", "--paid-tier", "--latency", "200ms", "--latency-per-token-ms", "0.5",
            "--jitter", "50ms", "--models", "gemini-2.5-flash,gemini-2.5-pro", "--fault-rate", "503=0.1,500=0.02",
            "--fault-next", "SAFETY:1,DROP:2", "--fault-delay", "1s", "--fault-slow", "500ms", "--seed", "9",
            "--no-log-texts")).doesNotThrowAnyException();
    }

    /** The one duration syntax on every duration flag. */
    @Test
    void everyDurationFlagReadsTheOneSyntax() {
        for (String flag : new String[] {"--latency", "--jitter", "--fault-delay", "--fault-slow"}) {
            assertThat(durationOf(flag, "10min")).as(flag).isEqualTo(Duration.ofMinutes(10));
            assertThat(durationOf(flag, "5m")).as(flag).isEqualTo(Duration.ofMinutes(5));
            assertThat(durationOf(flag, "PT30S")).as(flag).isEqualTo(Duration.ofSeconds(30));
            assertThatThrownBy(() -> GeminiEmulatorMain.parse(flag, "300")).as(flag)
                    .hasMessageContaining("'" + flag + "'").hasMessageContaining("no unit");
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
        assertThat(model.getCommandSpec().options()).hasSizeGreaterThan(15)
                .allSatisfy(option -> assertThat(help).contains(option.longestName()));
    }

    @Test
    void rejectsBadFlagsClearly() {
        assertThatThrownBy(() -> GeminiEmulatorMain.parse("--rpm")).hasMessageContaining("'--rpm'");
        assertThatThrownBy(() -> GeminiEmulatorMain.parse("--nope", "1")).hasMessageContaining("Unknown option");
        assertThatThrownBy(() -> GeminiEmulatorMain.parse("--fault-rate", "TEAPOT=0.5"))
                .hasMessageContaining("unknown fault");
        assertThatThrownBy(() -> GeminiEmulatorMain.parse("--fault-next", "503"))
                .hasMessageContaining("FAULT:COUNT");
        assertThatThrownBy(() -> GeminiEmulatorMain.parse("--rpm", "-1")).hasMessageContaining("--rpm must be >= 0");
        assertThatThrownBy(() -> GeminiEmulatorMain.parse("--jitter", "-PT1S")).hasMessageContaining("--jitter");
        assertThatThrownBy(() -> GeminiEmulatorMain.parse("--port", "http")).hasMessageContaining("'--port'");
    }
}
