package io.paralleltranslation.job.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.job.config.ConfigFixtures;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.operators.gemini.GeminiClientSettings;
import io.paralleltranslation.ratelimit.QuotaConfig;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class FactoriesTest {

    @Test
    void theClientFactoryCarriesTheGeminiSettingsAndOnlyWhereTheKeyIs() throws Exception {
        Map<String, String> m = ConfigFixtures.minimalSettings("eu-west-1");
        m.put("gemini.base-url", "http://127.0.0.1:8089");
        m.put("gemini.api-key-source", "literal:sekret-key-123");
        m.put("gemini.model", "gemini-2.5-pro");
        m.put("gemini.thinking-budget", "-1");
        m.put("gemini.temperature", "0.5");
        m.put("gemini.request-timeout", "45s");
        m.put("translate.capacity", "25");
        GeminiClientFactory factory = GeminiClientFactory.from(JobConfig.of(m));

        GeminiClientSettings settings = factory.settings();
        assertThat(settings.baseUrl()).isEqualTo("http://127.0.0.1:8089");
        assertThat(settings.apiVersion()).isEqualTo("v1beta");
        assertThat(settings.defaultModel()).isEqualTo("gemini-2.5-pro");
        assertThat(settings.thinkingBudget()).isNull();
        assertThat(settings.temperature()).isEqualTo(0.5f);
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.maxConnectionsPerHost()).isEqualTo(25);
        assertThat(factory.toString()).doesNotContain("sekret-key-123");
        GeminiClientFactory copy = InstantiationUtil.clone(factory);
        assertThat(copy.settings().defaultModel()).isEqualTo("gemini-2.5-pro");
    }

    @Test
    void theCacheFactoryIsOnByDefaultAndKeysByTheClientsModelAndSettings() throws Exception {
        Map<String, String> m = ConfigFixtures.minimalSettings("eu-west-1");
        m.put("cache.table", "translations");
        m.put("cache.ttl", "7d");
        DynamoDbCacheFactory factory = DynamoDbCacheFactory.from(JobConfig.of(m));
        assertThat(factory).isNotNull();
        assertThat(InstantiationUtil.clone(factory).toString()).contains("table=translations").contains("ttl=PT168H")
                .contains("eu-west-1");
        assertThat(DynamoDbCacheFactory.keys(JobConfig.of(m)).toString()).contains("defaultModel=gemini-2.5-flash")
                .contains("temperature=0.2");

        m.put("cache.enabled", "false");
        assertThat(DynamoDbCacheFactory.from(JobConfig.of(m))).as("cache.enabled=false").isNull();
    }

    @Test
    void theLimiterFactoryUsesTheQuotaKeysAndTheParallelismAsInstancesUnlessSet() throws Exception {
        Map<String, String> m = ConfigFixtures.minimalSettings("eu-west-1");
        m.put("quota.rpm", "150");
        m.put("quota.tpm", "1000000");
        m.put("quota.rpd", "10000");
        m.put("quota.day-zone", "UTC");
        m.put("dynamodb.quota-scope", "gemini-pro");
        QuotaConfig byParallelism = DynamoDbLimiterFactory.from(JobConfig.of(m), 4).quotaConfig();
        assertThat(byParallelism.scope()).isEqualTo("gemini-pro");
        assertThat(byParallelism.requestsPerMinute()).isEqualTo(150);
        assertThat(byParallelism.inputTokensPerMinute()).isEqualTo(1_000_000);
        assertThat(byParallelism.requestsPerDay()).isEqualTo(10_000);
        assertThat(byParallelism.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(byParallelism.instances()).isEqualTo(4);
        assertThat(byParallelism.expectedBurst()).as("capacity 10 x parallelism 4").isEqualTo(40);
        assertThat(byParallelism.windowMargin()).as("default").isEqualTo(Duration.ofSeconds(1));

        m.put("quota.instances", "2");
        m.put("quota.window-margin", "0s");
        m.put("quota.window-margin-zero-acknowledged", "true");
        DynamoDbLimiterFactory explicit = DynamoDbLimiterFactory.from(JobConfig.of(m), 4);
        assertThat(explicit.quotaConfig().instances()).isEqualTo(2);
        assertThat(InstantiationUtil.clone(explicit).quotaConfig().instances()).isEqualTo(2);
        assertThat(InstantiationUtil.clone(explicit).quotaConfig().windowMargin()).isEqualTo(Duration.ZERO);
        assertThat(DynamoDbLimiterFactory.from(JobConfig.of(ConfigFixtures.minimalSettings("eu-west-1")), -1)
                .quotaConfig().instances()).as("parallelism unknown at build time").isEqualTo(1);
    }
}
