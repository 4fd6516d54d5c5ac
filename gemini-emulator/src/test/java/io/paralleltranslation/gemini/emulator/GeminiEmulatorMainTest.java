package io.paralleltranslation.gemini.emulator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class GeminiEmulatorMainTest {
    @Test
    void parsesEveryFlag() {
        assertThatCode(() -> GeminiEmulatorMain.parse(new String[] {"--port", "0", "--api-key", "k", "--rpm", "10",
            "--tpm", "250000", "--rpd", "250", "--paid-tier", "--latency-ms", "200", "--latency-per-token-ms", "0.5",
            "--jitter-ms", "50", "--models", "gemini-2.5-flash,gemini-2.5-pro", "--fault-rate", "503=0.1,500=0.02",
            "--fault-next", "SAFETY:1,DROP:2", "--fault-delay-ms", "1000", "--fault-slow-ms", "500", "--seed", "9", "--no-log-texts"})).doesNotThrowAnyException();
    }

    @Test
    void rejectsBadFlagsClearly() {
        assertThatThrownBy(() -> GeminiEmulatorMain.parse(new String[] {"--rpm"})).hasMessageContaining("missing value");
        assertThatThrownBy(() -> GeminiEmulatorMain.parse(new String[] {"--nope", "1"})).hasMessageContaining("unknown flag");
        assertThatThrownBy(() -> GeminiEmulatorMain.parse(new String[] {"--fault-rate", "TEAPOT=0.5"}))
                .hasMessageContaining("unknown fault");
        assertThatThrownBy(() -> GeminiEmulatorMain.parse(new String[] {"--fault-next", "503"}))
                .hasMessageContaining("FAULT:COUNT");
        assertThatThrownBy(() -> GeminiEmulatorMain.parse(new String[] {"--rpm", "-1"})).hasMessageContaining(">= 0");
    }
}
