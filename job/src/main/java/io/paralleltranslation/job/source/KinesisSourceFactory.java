package io.paralleltranslation.job.source;

import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.JobConfig.CredentialsProvider;
import java.net.URI;
import java.time.Instant;
import org.apache.flink.api.common.serialization.AbstractDeserializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants.InitialPosition;

/**
 * Builds the chunk stream's {@link KinesisStreamsSource} from the job config. Records stay raw
 * bytes: parsing belongs to the parse operator, so a malformed record reaches the dead letters
 * instead of failing the source.
 */
public final class KinesisSourceFactory {
    /** The connector's own property names (its {@code AWSConfigConstants} are relocated). */
    static final String AWS_REGION = "aws.region";
    static final String AWS_ENDPOINT = "aws.endpoint";
    static final String AWS_CREDENTIALS_PROVIDER = "aws.credentials.provider";
    static final String AWS_ACCESS_KEY_ID = "aws.credentials.provider.basic.accesskeyid";
    static final String AWS_SECRET_ACCESS_KEY = "aws.credentials.provider.basic.secretkey";

    private KinesisSourceFactory() {}

    public static KinesisStreamsSource<byte[]> create(JobConfig config) {
        return KinesisStreamsSource.<byte[]>builder()
                .setStreamArn(config.get(JobConfig.KINESIS_STREAM))
                .setSourceConfig(sourceConfig(config))
                .setDeserializationSchema(new RawBytes())
                .build();
    }

    /** The connector settings; public so the wiring and tests can see exactly what is used. */
    public static Configuration sourceConfig(JobConfig config) {
        Configuration c = new Configuration();
        c.setString(AWS_REGION, config.kinesisRegion());
        URI endpoint = config.get(JobConfig.KINESIS_ENDPOINT);
        if (endpoint != null) {
            c.setString(AWS_ENDPOINT, endpoint.toString());
        }
        if (config.get(JobConfig.KINESIS_CREDENTIALS_PROVIDER) == CredentialsProvider.BASIC) {
            c.setString(AWS_CREDENTIALS_PROVIDER, "BASIC");
            c.setString(AWS_ACCESS_KEY_ID, config.get(JobConfig.KINESIS_ACCESS_KEY_ID));
            c.setString(AWS_SECRET_ACCESS_KEY, config.get(JobConfig.KINESIS_SECRET_ACCESS_KEY));
        } else {
            c.setString(AWS_CREDENTIALS_PROVIDER, "AUTO");
        }
        c.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION,
                InitialPosition.valueOf(config.get(JobConfig.KINESIS_INITIAL_POSITION).name()));
        Instant timestamp = config.get(JobConfig.KINESIS_INITIAL_TIMESTAMP);
        if (timestamp != null) {
            // Seconds since the epoch: the format the connector parses without a date pattern.
            c.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    Double.toString(timestamp.toEpochMilli() / 1000.0));
        }
        c.set(KinesisStreamsSourceConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS,
                config.get(JobConfig.KINESIS_SHARD_DISCOVERY_INTERVAL).toMillis());
        return c;
    }

    /** Passes each record's bytes through unchanged. */
    static final class RawBytes extends AbstractDeserializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] deserialize(byte[] message) {
            return message;
        }
    }
}
