package io.paralleltranslation.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paralleltranslation.job.config.ApiKeySource;
import io.paralleltranslation.job.config.CacheOptions;
import io.paralleltranslation.job.config.DynamoDbOptions;
import io.paralleltranslation.job.config.GeminiOptions;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.JobOptions;
import io.paralleltranslation.job.config.QuotaOptions;
import io.paralleltranslation.job.config.TranslateOptions;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimePropertiesTest {

    private static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pt/dev/gemini-api-key-AbCdEf";
    private static final String STREAM_ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/pt-dev-chunks";

    private final Map<String, Map<String, String>> dev = RuntimeProperties.build(EnvironmentConfig.named("dev"),
            "eu-west-1", STREAM_ARN, "pt-dev-quota", "pt-dev-translation-cache", SECRET_ARN, "pt-dev-bucket");

    @Test
    void everyKeyIsAKeyTheJobKnowsAndEveryDeployedKeyIsSet() {
        assertThat(JobKeys.unknownKeys(JobKeys.fullKeys(dev))).isEmpty();
        assertThat(JobKeys.fullKeys(dev)).containsExactlyInAnyOrderElementsOf(JobKeys.DEPLOYED);
    }

    @Test
    void theKnownKeyCheckNamesStrangers() {
        assertThat(JobKeys.unknownKeys(Arrays.asList("quota.rpm", "quota.rps", "gemini.api-key-secret")))
                .containsExactly("quota.rps", "gemini.api-key-secret");
    }

    @Test
    void theJobAcceptsEveryValueAndReadsWhatTheEnvironmentMeant() {
        for (String name : EnvironmentConfig.NAMES) {
            EnvironmentConfig env = EnvironmentConfig.named(name);
            JobConfig config = JobConfig.of(JobKeys.flatten(RuntimeProperties.build(env, "eu-west-1",
                    STREAM_ARN, "pt-" + name + "-quota", env.cacheTableName(), SECRET_ARN, "pt-" + name + "-bucket")));
            assertThat(config.get(CacheOptions.TABLE)).isEqualTo("pt-" + name + "-translation-cache");
            assertThat(config.get(CacheOptions.ENABLED)).isTrue();
            assertThat(config.get(GeminiOptions.REQUEST_TIMEOUT)).isEqualTo(env.geminiRequestTimeout());
            assertThat(config.get(JobOptions.CHECKPOINT_INTERVAL))
                    .isEqualTo(Duration.ofMillis(env.checkpointIntervalMs()));
            assertThat(config.get(QuotaOptions.RPM).longValue()).isEqualTo(env.quotaRpm());
            assertThat(config.get(QuotaOptions.TPM)).isEqualTo(env.quotaTpm());
            assertThat(config.get(QuotaOptions.RPD).longValue()).isEqualTo(env.quotaRpd());
            assertThat(config.quotaDayZone()).isEqualTo(ZoneId.of(env.quotaDayZone()));
            assertThat(config.get(QuotaOptions.INSTANCES)).isEqualTo(env.quotaInstances());
            assertThat(config.get(TranslateOptions.CAPACITY)).isEqualTo(env.translateCapacity());
            assertThat(config.get(DynamoDbOptions.QUOTA_SCOPE)).isEqualTo(env.quotaScope());
            assertThat(config.kinesisRegion()).isEqualTo("eu-west-1");
            assertThat(config.dynamodbRegion()).isEqualTo("eu-west-1");
        }
    }

    @Test
    void groupsHaveTheLocalConfigFilesShape() {
        assertThat(dev.keySet()).containsExactly("kinesis", "dynamodb", "cache", "gemini", "quota", "translate", "output",
                "job");
        assertThat(dev.get("cache")).containsEntry("table", "pt-dev-translation-cache");
        assertThat(dev.get("kinesis")).containsEntry("stream", STREAM_ARN).containsEntry("region", "eu-west-1")
                .containsEntry("initial-position", "TRIM_HORIZON");
        assertThat(dev.get("dynamodb")).containsEntry("table", "pt-dev-quota")
                .containsEntry("quota-scope", "gemini#pt-dev#gemini-2.5-flash");
        assertThat(dev.get("gemini")).containsEntry("request-timeout", "1 min");
        assertThat(dev.get("quota")).containsEntry("rpm", "10").containsEntry("tpm", "250000")
                .containsEntry("rpd", "250").containsEntry("instances", "2");
        assertThat(dev.get("translate")).containsEntry("capacity", "10");
        assertThat(dev.get("output")).containsEntry("path", "s3://pt-dev-bucket/output/");
        assertThat(dev.get("job")).containsEntry("checkpoint-interval", "10 s");
    }

    @Test
    void theApiKeyTravelsAsASecretArnOnly() {
        assertThat(dev.get("gemini")).containsEntry("api-key-source", "secretsmanager:" + SECRET_ARN);
        ApiKeySource source = JobConfig.of(JobKeys.flatten(dev)).apiKeySource();
        assertThat(source.kind()).isEqualTo(ApiKeySource.Kind.SECRETSMANAGER);
        assertThat(source.reference()).isEqualTo(SECRET_ARN);
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
}
