package io.paralleltranslation.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class DurationsTest {
    @Test
    void readsFlinksFormsAndIso8601() {
        assertThat(Durations.parse("10min")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("30 s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse(" pt1h ")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusesBareNumbersAndNonsenseSayingHowToWriteOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("30")).withMessageContaining("no unit")
                .withMessageContaining("PT30S");
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("soon"))
                .withMessageContaining("'soon' is not a duration");
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("PT")).withMessageContaining("'PT'");
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("")).withMessageContaining("no duration");
    }

    @Test
    void formatsWhatItReadsBack() {
        for (Duration d : new Duration[] {Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMinutes(30),
            Duration.ofDays(3), Duration.ofSeconds(95_430)}) {
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
    }

    @Command(name = "tool")
    static final class Tool implements Cli.Validated {
        @Option(names = "--wait", description = "how long") Duration wait;
        @Option(names = "--count", description = "how many") int count = 1;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "help") boolean help;

        @Override
        public void validate() {
            if (count < 1) {
                throw new IllegalArgumentException("--count must be at least 1");
            }
        }
    }

    @Test
    void aMistakeIsOneLineNamingTheFlagAndExitsTwo() throws Exception {
        for (String[] args : new String[][] {{"--wait", "soon"}, {"--count", "0"}, {"--nope"}, {"--wait"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Cli.run(new Tool(), args, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8), t -> 0);
            assertThat(status).isEqualTo(Cli.USAGE_ERROR);
            assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement().asString()
                    .startsWith("tool: ").contains(args[0]).endsWith("(tool --help lists every option)");
        }
    }

    @Test
    void helpAndDurationsReachTheAction() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Cli.run(new Tool(), new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err, t -> 9)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--wait", "--count", "--help");
        assertThat(Cli.run(new Tool(), new String[] {"--wait", "PT30S"}, System.out, System.err,
                t -> t.wait.equals(Duration.ofSeconds(30)) ? 7 : 1)).isEqualTo(7);
    }

    @Test
    void anUnforeseenFailureIsOneLineWithItsRootCauseAndExitsOne() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(new Tool(), new String[0], System.out, new PrintStream(err, true, StandardCharsets.UTF_8),
                t -> {
                    throw new IllegalStateException("outer", new java.io.IOException("connection\nrefused"));
                });
        assertThat(status).isEqualTo(Cli.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "tool: failed: IOException: connection refused (bin/tool --verbose shows the stack trace)");
    }
}
