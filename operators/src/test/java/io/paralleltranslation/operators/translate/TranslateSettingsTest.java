package io.paralleltranslation.operators.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TranslateSettingsTest {
    private final TranslateSettings settings = new TranslateSettings(Duration.ofSeconds(1), Duration.ofSeconds(60), 6, 20);

    @Test
    void backoffCeilingDoublesPerFailureUpToTheCap() {
        assertThat(settings.backoffMillis(1, 0.999_999)).isEqualTo(999);
        assertThat(settings.backoffMillis(2, 0.999_999)).isEqualTo(1_999);
        assertThat(settings.backoffMillis(4, 0.5)).isEqualTo(4_000);
        assertThat(settings.backoffMillis(7, 0.999_999)).isEqualTo(59_999);
        assertThat(settings.backoffMillis(1_000, 0.5)).isEqualTo(30_000);
    }

    @Test
    void fullJitterCanRetryAtOnce() {
        assertThat(settings.backoffMillis(5, 0.0)).isZero();
    }

    @Test
    void defaultsAndValidation() {
        TranslateSettings defaults = TranslateSettings.defaults();
        assertThat(defaults.backoffBase()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.backoffCap()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.maxAttempts()).isEqualTo(6);
        assertThat(defaults.maxQuotaRefusals()).isEqualTo(20);
        assertThat(defaults.toString()).contains("maxAttempts=6");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TranslateSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 0));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TranslateSettings(Duration.ZERO, Duration.ZERO, 0, 0));
    }
}
