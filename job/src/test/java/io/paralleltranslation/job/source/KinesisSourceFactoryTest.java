package io.paralleltranslation.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paralleltranslation.job.config.ConfigException;
import io.paralleltranslation.job.config.ConfigFixtures;
import io.paralleltranslation.job.config.JobConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.connectors.kinesis.util.KinesisConfigUtil;
import org.junit.jupiter.api.Test;

class KinesisSourceFactoryTest {

    private static Map<String, String> minimal() {
        return ConfigFixtures.minimalSettings("eu-central-1");
    }

    @Test
    void onAwsUsesTheDefaultCredentialsChainTheArnsRegionAndAPoliteFixedPace() {
        Properties c = KinesisSourceFactory.consumerConfig(JobConfig.of(minimal()));

        assertThat(c).containsEntry("aws.region", "eu-central-1").containsEntry("aws.credentials.provider", "AUTO")
                .containsEntry("flink.stream.initpos", "TRIM_HORIZON")
                .containsEntry("flink.shard.discovery.intervalmillis", "10000")
                .containsEntry("flink.stream.recordpublisher", "POLLING")
                .containsEntry("flink.shard.getrecords.intervalmillis", "250")
                .containsEntry("flink.shard.adaptivereads", "false")
                .doesNotContainKeys("aws.endpoint", "aws.credentials.provider.basic.accesskeyid");
        // The connector's own validation accepts it (it runs again when the job starts).
        KinesisConfigUtil.validateConsumerConfiguration(c);
    }

    @Test
    void forAStandInUsesItsEndpointAndStaticKeys() {
        Map<String, String> m = minimal();
        m.put("kinesis.endpoint", "http://127.0.0.1:4567");
        m.put("kinesis.credentials-provider", "BASIC");
        m.put("kinesis.region", "us-east-1");
        Properties c = KinesisSourceFactory.consumerConfig(JobConfig.of(m));

        assertThat(c).containsEntry("aws.endpoint", "http://127.0.0.1:4567")
                .containsEntry("aws.region", "us-east-1")
                .containsEntry("aws.credentials.provider", "BASIC")
                .containsEntry("aws.credentials.provider.basic.accesskeyid", "local")
                .containsEntry("aws.credentials.provider.basic.secretkey", "local");
        KinesisConfigUtil.validateConsumerConfiguration(c);
    }

    @Test
    void atTimestampIsAFormatTheConnectorParses() {
        Map<String, String> m = minimal();
        m.put("kinesis.initial-position", "AT_TIMESTAMP");
        m.put("kinesis.initial-timestamp", "2026-12-01T10:15:30.250Z");
        Properties c = KinesisSourceFactory.consumerConfig(JobConfig.of(m));

        assertThat(c).containsEntry("flink.stream.initpos", "AT_TIMESTAMP")
                .containsEntry("flink.stream.initpos.timestamp", "1796120130.250");
        KinesisConfigUtil.validateConsumerConfiguration(c);
    }

    @Test
    void aPollIntervalAboveKinesissLimitIsRefusedAtStartUp() {
        Map<String, String> m = minimal();
        m.put("kinesis.poll-interval", "100ms");

        assertThatThrownBy(() -> JobConfig.of(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("kinesis.poll-interval").hasMessageContaining("200ms");
    }

    @Test
    void theStreamNameComesFromTheArn() {
        assertThat(KinesisSourceFactory.streamName("arn:aws:kinesis:eu-west-1:123456789012:stream/chunks-prod"))
                .isEqualTo("chunks-prod");
    }
}
