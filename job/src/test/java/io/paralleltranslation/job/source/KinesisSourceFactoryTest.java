package io.paralleltranslation.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.job.config.ConfigFixtures;
import io.paralleltranslation.job.config.JobConfig;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants.InitialPosition;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigUtil;
import org.junit.jupiter.api.Test;

class KinesisSourceFactoryTest {

    private static Map<String, String> minimal() {
        return ConfigFixtures.minimalSettings("eu-central-1");
    }

    @Test
    void onAwsUsesTheDefaultCredentialsChainAndTheArnsRegion() {
        Configuration c = KinesisSourceFactory.sourceConfig(JobConfig.of(minimal()));

        assertThat(c.toMap()).containsEntry("aws.region", "eu-central-1").containsEntry("aws.credentials.provider", "AUTO")
                .doesNotContainKeys("aws.endpoint", "aws.credentials.provider.basic.accesskeyid");
        assertThat(c.get(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION))
                .isEqualTo(InitialPosition.TRIM_HORIZON);
        assertThat(c.get(KinesisStreamsSourceConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS)).isEqualTo(10_000L);
    }

    @Test
    void forAStandInUsesItsEndpointAndStaticKeys() {
        Map<String, String> m = minimal();
        m.put("kinesis.endpoint", "http://127.0.0.1:4567");
        m.put("kinesis.credentials-provider", "BASIC");
        m.put("kinesis.region", "us-east-1");
        Configuration c = KinesisSourceFactory.sourceConfig(JobConfig.of(m));

        assertThat(c.toMap()).containsEntry("aws.endpoint", "http://127.0.0.1:4567")
                .containsEntry("aws.region", "us-east-1")
                .containsEntry("aws.credentials.provider", "BASIC")
                .containsEntry("aws.credentials.provider.basic.accesskeyid", "local")
                .containsEntry("aws.credentials.provider.basic.secretkey", "local");
    }

    @Test
    void atTimestampIsAFormatTheConnectorParses() {
        Map<String, String> m = minimal();
        m.put("kinesis.initial-position", "AT_TIMESTAMP");
        m.put("kinesis.initial-timestamp", "2026-12-01T10:15:30.250Z");
        Configuration c = KinesisSourceFactory.sourceConfig(JobConfig.of(m));

        assertThat(c.get(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION))
                .isEqualTo(InitialPosition.AT_TIMESTAMP);
        assertThat(KinesisStreamsSourceConfigUtil.parseStreamTimestampStartingPosition(c))
                .isEqualTo(Date.from(Instant.parse("2026-12-01T10:15:30.250Z")));
    }
}
