package io.paralleltranslation.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {

    @Test
    void presetsDifferInSizeAndDurability() {
        EnvironmentConfig dev = EnvironmentConfig.named("dev");
        EnvironmentConfig staging = EnvironmentConfig.named("staging");
        EnvironmentConfig prod = EnvironmentConfig.named("prod");
        assertThat(dev.onDemandStream()).isTrue();
        assertThat(staging.provisionedShards()).isEqualTo(2);
        assertThat(prod.provisionedShards()).isEqualTo(4);
        assertThat(prod.streamRetentionHours()).isGreaterThan(staging.streamRetentionHours())
                .isGreaterThan(dev.streamRetentionHours());
        assertThat(prod.parallelism()).isGreaterThan(staging.parallelism()).isGreaterThan(dev.parallelism());
        // A daily-quota wait parks the job for up to a day: the stream must keep what waits behind it.
        assertThat(dev.streamRetentionHours()).isGreaterThanOrEqualTo(EnvironmentConfig.MIN_STREAM_RETENTION_HOURS);
        assertThat(EnvironmentConfig.MIN_STREAM_RETENTION_HOURS).isGreaterThanOrEqualTo(48);
        assertThat(prod.pointInTimeRecovery()).isTrue();
        assertThat(staging.pointInTimeRecovery()).isFalse();
        assertThat(prod.retainData()).isTrue();
        assertThat(dev.retainData()).isFalse();
        assertThat(staging.iteratorAgeAlarmMs()).isBetween(prod.iteratorAgeAlarmMs(), dev.iteratorAgeAlarmMs());
        assertThat(staging.deadLetterExpirationDays()).isEqualTo(14);
    }

    @Test
    void namesArePrefixedByEnvironment() {
        EnvironmentConfig staging = EnvironmentConfig.named(" Staging ");
        assertThat(staging.name()).isEqualTo("staging");
        assertThat(staging.streamName()).isEqualTo("pt-staging-chunks");
        assertThat(staging.tableName()).isEqualTo("pt-staging-quota");
        assertThat(staging.applicationName()).isEqualTo("pt-staging-translator");
        assertThat(staging.secretName()).isEqualTo("pt/staging/gemini-api-key");
        assertThat(staging.logGroupName()).isEqualTo("/aws/kinesis-analytics/pt-staging-translator");
    }

    @Test
    void quotaScopeIsTheLimitersItemKeyAndInstancesFollowParallelism() {
        EnvironmentConfig prod = EnvironmentConfig.named("prod");
        assertThat(prod.quotaScope()).isEqualTo("gemini#pt-prod#gemini-2.5-flash");
        assertThat(prod.quotaInstances()).isEqualTo(prod.parallelism());
        assertThat(prod.translateCapacity()).isEqualTo(10);
        assertThat(prod.quotaDayZone()).isEqualTo("America/Los_Angeles");
    }

    @Test
    void unknownOrMissingEnvironmentIsAClearError() {
        assertThatThrownBy(() -> EnvironmentConfig.named("qa"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'qa'").hasMessageContaining("[dev, staging, prod]");
        assertThatThrownBy(() -> EnvironmentConfig.named(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-c env=dev");
    }
}
