package io.paralleltranslation.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RuntimePropertiesTest {

    private static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pt/dev/gemini-api-key-AbCdEf";
    private static final String STREAM_ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/pt-dev-chunks";

    private final Map<String, Map<String, String>> dev = RuntimeProperties.build(EnvironmentConfig.named("dev"),
            "eu-west-1", STREAM_ARN, "pt-dev-quota", SECRET_ARN, "pt-dev-bucket");

    @Test
    void everyKeyIsAKeyTheJobKnowsAndEveryKnownKeyIsSet() {
        assertThat(KnownJobKeys.unknownKeys(RuntimeProperties.fullKeys(dev), KnownJobKeys.KNOWN)).isEmpty();
        assertThat(RuntimeProperties.fullKeys(dev)).containsExactlyInAnyOrderElementsOf(KnownJobKeys.KNOWN);
    }

    @Test
    void theKnownKeyCheckNamesStrangers() {
        assertThat(KnownJobKeys.unknownKeys(Arrays.asList("quota.rpm", "quota.rps", "gemini.api-key"),
                KnownJobKeys.KNOWN)).containsExactly("quota.rps", "gemini.api-key");
    }

    @Test
    void groupsHaveTheLocalConfigFilesShape() {
        assertThat(dev.keySet()).containsExactly("kinesis", "dynamodb", "gemini", "quota", "translate", "output", "job");
        assertThat(dev.get("kinesis")).containsEntry("stream", STREAM_ARN).containsEntry("region", "eu-west-1")
                .containsEntry("initial-position", "TRIM_HORIZON");
        assertThat(dev.get("dynamodb")).containsEntry("table", "pt-dev-quota")
                .containsEntry("quota-scope", "gemini#pt-dev#gemini-2.5-flash");
        assertThat(dev.get("quota")).containsEntry("rpm", "10").containsEntry("tpm", "250000")
                .containsEntry("rpd", "250").containsEntry("instances", "2");
        assertThat(dev.get("translate")).containsEntry("capacity", "10");
        assertThat(dev.get("output")).containsEntry("path", "s3://pt-dev-bucket/output/");
        assertThat(dev.get("job")).containsEntry("checkpoint-interval-ms", "60000");
    }

    @Test
    void theApiKeyTravelsAsASecretArnOnly() {
        assertThat(dev.get("gemini")).containsEntry("api-key-secret", SECRET_ARN).doesNotContainKey("api-key");
    }

    @Test
    void deadLettersLiveUnderTheOutputPrefix() {
        assertThat(RuntimeProperties.DEAD_LETTER_PREFIX).startsWith(RuntimeProperties.OUTPUT_PREFIX);
    }

    @Test
    void resultIsReadOnly() {
        assertThatThrownBy(() -> dev.get("quota").put("rpm", "1")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> dev.remove("quota")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keysSplitIntoGroupAndProperty() {
        assertThat(ConfigKeys.group(ConfigKeys.QUOTA_DAY_ZONE)).isEqualTo("quota");
        assertThat(ConfigKeys.property(ConfigKeys.QUOTA_DAY_ZONE)).isEqualTo("day-zone");
        for (String bad : Arrays.asList("quota", ".rpm", "quota.")) {
            assertThatThrownBy(() -> ConfigKeys.group(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }
}
