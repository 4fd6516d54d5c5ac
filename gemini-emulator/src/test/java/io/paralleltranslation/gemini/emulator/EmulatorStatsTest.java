package io.paralleltranslation.gemini.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.gemini.emulator.EmulatorStats.Scope;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmulatorStatsTest {
    private static RequestLogEntry entry(long t, int status, boolean admitted, int tokens) {
        return new RequestLogEntry(t, "m", "generateContent", status, "x", admitted, tokens, 0, null, true, 0);
    }

    @Test
    void windowMaximaAreExactOverAnySixtySeconds() {
        List<RequestLogEntry> log = Arrays.asList(
                entry(0, 200, true, 100),
                entry(30_000, 429, false, 500),
                entry(50_000, 200, true, 100),
                entry(59_999, 200, true, 100),
                entry(60_000, 200, true, 1000), // outside [0, 60000), inside [30000, 90000)
                entry(200_000, 503, true, 10));
        EmulatorStats stats = new EmulatorStats(log, 0, Collections.emptyMap(), 3, 0);

        assertThat(stats.maxRequestsInAnyWindow(Scope.ALL)).isEqualTo(4);
        assertThat(stats.maxRequestsInAnyWindow(Scope.ADMITTED)).isEqualTo(3);
        assertThat(stats.maxRequestsInAnyWindow(Scope.OK)).isEqualTo(3);
        assertThat(stats.maxInputTokensInAnyWindow.get(Scope.ADMITTED)).isEqualTo(1200);
        assertThat(stats.maxInputTokensInAnyWindow.get(Scope.ALL)).isEqualTo(1700);
        assertThat(stats.count(200)).isEqualTo(4);
        assertThat(stats.count(404)).isZero();
        assertThat(stats.requests).isEqualTo(6);
    }
}
