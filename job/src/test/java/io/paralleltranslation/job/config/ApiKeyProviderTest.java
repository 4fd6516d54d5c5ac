package io.paralleltranslation.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class ApiKeyProviderTest {
    private static final ApiKeyProvider.SecretReaderFactory NO_SECRETS = () -> id -> {
        throw new AssertionError("Secrets Manager must not be called");
    };

    @Test
    void readsAnEnvironmentVariable() {
        Map<String, String> env = new HashMap<>();
        env.put("GEMINI_API_KEY", " key-from-env\n");
        ApiKeyProvider provider = new ApiKeyProvider(ApiKeySource.parse("env:GEMINI_API_KEY"), () -> env, NO_SECRETS);

        assertThat(provider.get()).isEqualTo("key-from-env");
    }

    @Test
    void readsASecret() {
        ApiKeyProvider provider = new ApiKeyProvider(ApiKeySource.parse("secretsmanager:prod/gemini"),
                Collections::emptyMap, () -> id -> id.equals("prod/gemini") ? "key-from-secret" : null);

        assertThat(provider.get()).isEqualTo("key-from-secret");
    }

    @Test
    void aMissingKeyNamesTheSourceAndALiteralNeverShows() throws Exception {
        ApiKeyProvider missing = new ApiKeyProvider(ApiKeySource.parse("env:NOPE"), Collections::emptyMap, NO_SECRETS);
        assertThatThrownBy(missing::get).hasMessageContaining("env:NOPE");

        ApiKeyProvider literal = new ApiKeyProvider(ApiKeySource.parse("literal:SECRET123"), Collections::emptyMap,
                NO_SECRETS);
        assertThat(literal.get()).isEqualTo("SECRET123");
        assertThat(literal.toString()).doesNotContain("SECRET123");
        assertThat(InstantiationUtil.clone(literal).get()).isEqualTo("SECRET123");
    }

    @Test
    void theRunProviderIsSerializable() throws Exception {
        Map<String, String> m = ConfigFixtures.minimalSettings("us-east-1");
        m.put("gemini.api-key-source", "env:SOME_VARIABLE_NOT_SET_ANYWHERE");

        ApiKeyProvider copy = InstantiationUtil.clone(ApiKeyProvider.forRun(JobConfig.of(m)));

        assertThatThrownBy(copy::get).hasMessageContaining("env:SOME_VARIABLE_NOT_SET_ANYWHERE");
    }
}
