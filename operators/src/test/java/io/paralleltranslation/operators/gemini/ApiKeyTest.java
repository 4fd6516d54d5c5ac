package io.paralleltranslation.operators.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class ApiKeyTest {
    @Test
    void configuredKeyWinsOverTheEnvironment() {
        ApiKey key = ApiKey.resolve("configured-key", Collections.singletonMap(ApiKey.ENV_VAR, "env-key"));
        assertThat(key.reveal()).isEqualTo("configured-key");
        assertThat(ApiKey.resolve(" ", Collections.singletonMap(ApiKey.ENV_VAR, "env-key")).reveal()).isEqualTo("env-key");
    }

    @Test
    void missingKeyIsAClearError() {
        assertThatThrownBy(() -> ApiKey.resolve(null, Collections.emptyMap()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GEMINI_API_KEY");
        assertThatThrownBy(() -> ApiKey.of("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverPrintsOrLeaksTheSecret() {
        ApiKey key = ApiKey.of("AIzaSy-secret");
        assertThat(key.toString()).doesNotContain("AIzaSy-secret");
        assertThat(key.redact("key=AIzaSy-secret&x")).isEqualTo("key=[redacted]&x");
        try (GeminiTranslationClient client = new GeminiTranslationClient(GeminiClientSettings.builder().build(), key)) {
            assertThat(client.toString()).doesNotContain("AIzaSy-secret");
        }
    }
}
