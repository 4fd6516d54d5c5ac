package io.paralleltranslation.job.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.ratelimit.InMemoryQuotaStore;
import io.paralleltranslation.ratelimit.QuotaConfig;
import io.paralleltranslation.ratelimit.WindowQuotaLimiter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
        assertThat(tool.run(QuotaTool.Options.parse(new String[] {"show"}), store)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("scope: gemini", "requests granted: 1",
                "pause: until 2026-06-01T12:00:30Z (30 s from now)", "requests 1 of 10, input tokens 42",
                "fallback: no grants from a fallback merged yet", "2026-06-01T12:00:00Z: 1, 42");

        assertThat(tool.run(QuotaTool.Options.parse(new String[] {"clear-pause", "--scope", "gemini"}), store))
                .isZero();
        assertThat(store.read("gemini").get().pausedUntil()).isEqualTo(Instant.EPOCH);
        assertThat(tool.run(QuotaTool.Options.parse(new String[] {"clear-pause"}), store)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("pause cleared on gemini",
                "no pause in force on gemini");
    }

    @Test
    void aMistakeIsOneLineNamingTheFix() {
        assertThat(tool.run(new String[] {"reset"})).isEqualTo(2);
        assertThat(tool.run(new String[] {"show", "--margin", "0.5"})).isEqualTo(2);
        assertThat(tool.run(new String[] {"show", "--zone", "Mars/Base"})).isEqualTo(2);
        assertThat(tool.run(new String[] {"show", "--scope"})).isEqualTo(2);
        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(errors.lines()).hasSize(4).allSatisfy(line -> assertThat(line).startsWith("quota: "));
        assertThat(errors).contains("show or clear-pause", "whole seconds", "not a time zone", "needs a value")
                .doesNotContain("Exception");
    }
}
