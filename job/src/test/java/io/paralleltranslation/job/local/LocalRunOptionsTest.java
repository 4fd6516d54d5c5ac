package io.paralleltranslation.job.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paralleltranslation.cli.Cli;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LocalRunOptionsTest {
    private static final Path SAMPLES = Paths.get("samples");
    private static final Path OUT = Paths.get("out");

    private static LocalRunOptions parse(String... args) {
        return Cli.parse(new LocalRunOptions(SAMPLES, OUT), args);
    }

    @Test
    void defaultsRunTheBundledSamplesAgainstTheEmulator() {
        LocalRunOptions o = parse();
        assertThat(o.docs).isEqualTo(SAMPLES);
        assertThat(o.out).isEqualTo(OUT);
        assertThat(o.embeddedEmulator()).isTrue();
        assertThat(o.exitWhenDone).isFalse();
        assertThat(o.chunkTokens).isEqualTo(120);
        assertThat(o.capacity).isEqualTo(10);
        assertThat(o.settings()).isEmpty();
    }

    @Test
    void readsEveryFlag() {
        LocalRunOptions o = parse("--docs", "d", "--out", "o", "--target-lang", "fr", "--gemini-base-url",
                "https://generativelanguage.googleapis.com", "--rpm", "1000", "--tpm", "2000000", "--rpd", "5000",
                "--capacity", "4", "--parallelism", "3", "--chunk-tokens", "3500", "--max-wait", "90s",
                "--exit-when-done", "--set", "translate.max-attempts=3", "--set", "flink.rest.bind-port=18081");
        assertThat(o.docs).isEqualTo(Paths.get("d"));
        assertThat(o.out).isEqualTo(Paths.get("o"));
        assertThat(o.targetLanguage).isEqualTo("fr");
        assertThat(o.embeddedEmulator()).isFalse();
        assertThat(o.geminiBaseUrl.getHost()).isEqualTo("generativelanguage.googleapis.com");
        assertThat(o.rpm).isEqualTo(1000);
        assertThat(o.tpm).isEqualTo(2_000_000L);
        assertThat(o.rpd).isEqualTo(5000);
        assertThat(o.capacity).isEqualTo(4);
        assertThat(o.parallelism).isEqualTo(3);
        assertThat(o.chunkTokens).isEqualTo(3500);
        assertThat(o.maxWait).isEqualTo(Duration.ofSeconds(90));
        assertThat(o.exitWhenDone).isTrue();
        assertThat(o.settings()).containsExactly(Map.entry("translate.max-attempts", "3"),
                Map.entry("flink.rest.bind-port", "18081"));
    }

    @Test
    void emulatorKeysSetTheLatencyAndStayOutOfTheJobConfig() {
        LocalRunOptions o = parse("--set", "emulator.latency=10s", "--set", "emulator.jitter=0ms",
                "--set", "emulator.per-output-token-ms=0.5");
        assertThat(o.latencyMillis()).isEqualTo(10_000);
        assertThat(o.jitterMillis()).isZero();
        assertThat(o.perOutputTokenMillis()).isEqualTo(0.5);
        assertThat(o.settings()).isEmpty();
    }

    @Test
    void maxWaitAcceptsUnitsAndIso() {
        assertThat(parse("--max-wait", "5m").maxWait).isEqualTo(Duration.ofMinutes(5));
        assertThat(parse("--max-wait", "10min").maxWait).isEqualTo(Duration.ofMinutes(10));
        assertThat(parse("--max-wait", "PT30S").maxWait).isEqualTo(Duration.ofSeconds(30));
        assertThat(parse("--set", "emulator.latency=10min").latencyMillis()).isEqualTo(600_000);
        assertThat(parse("--set", "emulator.latency=5m").latencyMillis()).isEqualTo(300_000);
        assertThat(parse("--set", "emulator.jitter=PT30S").jitterMillis()).isEqualTo(30_000);
        assertThat(parse("--max-wait", "1500ms").maxWait).isEqualTo(Duration.ofMillis(1500));
        assertThat(parse("--max-wait", "PT2H").maxWait).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void refusesBadInputWithTheFlagNamed() {
        assertThatThrownBy(() -> parse("--rpm", "0")).hasMessageContaining("--rpm");
        assertThatThrownBy(() -> parse("--tpm", "lots")).hasMessageContaining("--tpm");
        assertThatThrownBy(() -> parse("--max-wait", "soon")).hasMessageContaining("--max-wait")
                .hasMessageContaining("PT30S");
        assertThatThrownBy(() -> parse("--max-wait", "30")).hasMessageContaining("--max-wait")
                .hasMessageContaining("no unit");
        assertThatThrownBy(() -> parse("--capacity", "1001")).hasMessageContaining("--capacity");
        assertThatThrownBy(() -> parse("--docs")).hasMessageContaining("--docs");
        assertThatThrownBy(() -> parse("--colour", "blue")).hasMessageContaining("Unknown option").hasMessageContaining("'--colour'");
        assertThatThrownBy(() -> parse("--colour")).hasMessageContaining("Unknown option").hasMessageContaining("'--colour'");
        assertThatThrownBy(() -> parse("stray")).hasMessageContaining("'stray'");
        assertThatThrownBy(() -> parse("--set", "novalue")).hasMessageContaining("key=value");
        assertThatThrownBy(() -> parse("--set", "emulator.speed=9")).hasMessageContaining("emulator.speed");
        assertThatThrownBy(() -> parse("--set", "emulator.latency=-PT1S")).hasMessageContaining("emulator.latency")
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> parse("--set", "emulator.latency-ms=100")).hasMessageContaining("emulator.latency");
        assertThatThrownBy(() -> parse("--gemini-base-url", "ftp://x")).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> parse("--max-wait", "0s")).hasMessageContaining("--max-wait");
        assertThatThrownBy(() -> parse("--target-lang", " ")).hasMessageContaining("--target-lang");
        assertThatThrownBy(() -> parse("--target-lang", "German")).hasMessageContaining("BCP 47");
    }

    @Test
    void aBadJobKeyOrValueInSetIsRefusedBeforeAnythingStartsNamingSet() {
        assertThatThrownBy(() -> parse("--set", "translate.chunk-timeout=soon"))
                .hasMessageStartingWith("translate.chunk-timeout: cannot read 'soon'").hasMessageContaining("(from --set)");
        assertThatThrownBy(() -> parse("--set", "translate.capacity=0")).hasMessageContaining("translate.capacity")
                .hasMessageContaining("(from --set)");
        assertThatThrownBy(() -> parse("--set", "nope.key=1")).hasMessageContaining("unknown config key 'nope.key'")
                .hasMessageContaining("(from --set)");
        assertThat(parse("--set", "translate.chunk-timeout=5m").settings())
                .containsEntry("translate.chunk-timeout", "5m");
    }

    @Test
    void helpListsEveryFlag() {
        CommandLine model = Cli.commandLine(new LocalRunOptions(SAMPLES, OUT));
        String help = model.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(model.getCommandSpec().options()).allSatisfy(option -> assertThat(help).contains(option.longestName()));
        // By hand, so a flag dropped from the model (and so from the loop above) fails too.
        assertThat(help).contains("--docs", "--out", "--target-lang", "--gemini-base-url", "--rpm", "--tpm", "--rpd",
                "--capacity", "--parallelism", "--chunk-tokens", "--max-wait", "--exit-when-done", "--set", "--help");
    }
}
