package io.paralleltranslation.job.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.cli.Cli;
import io.paralleltranslation.ratelimit.InMemoryQuotaStore;
import io.paralleltranslation.ratelimit.QuotaConfig;
import io.paralleltranslation.ratelimit.WindowQuotaLimiter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class QuotaToolTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final QuotaTool tool = new QuotaTool(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC));
    private final InMemoryQuotaStore store = new InMemoryQuotaStore();

    @Test
    void showsTheItemAndClearsItsPause() throws Exception {
        QuotaConfig config = QuotaConfig.builder("gemini").requestsPerMinute(10).inputTokensPerMinute(1_000)
                .requestsPerDay(100).build();
        try (WindowQuotaLimiter limiter = WindowQuotaLimiter.builder(store, config)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
            limiter.acquire(42).get(10, TimeUnit.SECONDS);
            limiter.pushback(NOW.plusSeconds(30)).get(10, TimeUnit.SECONDS);
        }
        assertThat(tool.run(Cli.parse(new QuotaTool.Options(), new String[] {"show"}), store)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("scope: gemini", "requests granted: 1",
                "pause: until 2026-06-01T12:00:30Z (30 s from now)", "requests 1 of 10, input tokens 42",
                "fallback: no grants from a fallback merged yet", "2026-06-01T12:00:00Z: 1, 42");

        assertThat(tool.run(Cli.parse(new QuotaTool.Options(), new String[] {"clear-pause", "--scope", "gemini"}), store))
                .isZero();
        assertThat(store.read("gemini").get().pausedUntil()).isEqualTo(Instant.EPOCH);
        assertThat(tool.run(Cli.parse(new QuotaTool.Options(), new String[] {"clear-pause"}), store)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("pause cleared on gemini",
                "no pause in force on gemini");
    }

    @Test
    void aMistakeIsOneLineNamingTheFix() {
        assertThat(tool.run(new String[] {"reset"})).isEqualTo(2);
        assertThat(tool.run(new String[] {"show", "--margin", "1500ms"})).isEqualTo(2);
        assertThat(tool.run(new String[] {"show", "--margin", "1"})).isEqualTo(2);
        assertThat(tool.run(new String[] {"show", "--zone", "Mars/Base"})).isEqualTo(2);
        assertThat(tool.run(new String[] {"show", "--scope"})).isEqualTo(2);
        assertThat(tool.run(new String[] {"show", "--colour", "blue"})).isEqualTo(2);
        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(errors.lines()).hasSize(6).allSatisfy(line -> assertThat(line).startsWith("quota: ")
                .endsWith("(quota --help lists every option)"));
        assertThat(errors).contains("show or clear-pause", "--margin takes whole seconds", "'--margin': '1' has no unit",
                "'--zone': 'Mars/Base' is not a time zone", "'--scope'", "Unknown options: '--colour'")
                .doesNotContain("Exception");
    }

    @Test
    void theMarginTakesTheOneDurationSyntax() {
        assertThat(Cli.parse(new QuotaTool.Options(), "show", "--margin", "PT30S").margin).isEqualTo(Duration.ofSeconds(30));
        assertThat(Cli.parse(new QuotaTool.Options(), "show", "--margin", "1min").margin).isEqualTo(Duration.ofMinutes(1));
        assertThat(Cli.parse(new QuotaTool.Options(), "show", "--margin", "0 s").margin).isZero();
        assertThat(Cli.parse(new QuotaTool.Options(), "show").margin).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void helpListsEveryFlag() {
        CommandLine model = Cli.commandLine(new QuotaTool.Options());
        String help = model.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(model.getCommandSpec().options()).allSatisfy(option -> assertThat(help).contains(option.longestName()));
        // By hand, so a flag dropped from the model (and so from the loop above) fails too.
        assertThat(help).contains("--scope", "--table", "--endpoint", "--region", "--zone", "--margin", "--help");
        assertThat(tool.run(new String[] {"--help"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("show|clear-pause", "--margin");
    }
}
