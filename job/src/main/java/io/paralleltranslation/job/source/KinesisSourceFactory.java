package io.paralleltranslation.job.source;

import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.KinesisOptions.CredentialsProvider;
import io.paralleltranslation.job.config.KinesisOptions;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.Properties;
import org.apache.flink.api.common.serialization.AbstractDeserializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;

/**
 * Reads the chunk stream with the connector's polling {@code FlinkKinesisConsumer}: one thread per
 * shard calls GetRecords once every {@code kinesis.poll-interval}, busy stream or idle, so the job
 * stays within Kinesis's 5 GetRecords per second per shard and leaves room for other consumers.
 * It registers {@code millisBehindLatest} per shard. The connector's newer
 * {@code KinesisStreamsSource} (4.3.0, the newest served here) polls in a loop with no pause, also
 * on an idle stream (FLINK-36947, fixed only in 5.x) and registers no lag metric.
 *
 * <p>Records stay raw bytes: parsing belongs to the parse operator, so a malformed record reaches
 * the dead letters instead of failing the source.
 */
public final class KinesisSourceFactory {
    /** The source's name and uid: the shards' sequence numbers are stored under it in checkpoints. */
    public static final String UID = "kinesis-chunks";

    /** The connector's own property names ({@code AWSConfigConstants}). */
    static final String AWS_REGION = "aws.region";
    static final String AWS_ENDPOINT = "aws.endpoint";
    static final String AWS_CREDENTIALS_PROVIDER = "aws.credentials.provider";
    static final String AWS_ACCESS_KEY_ID = "aws.credentials.provider.basic.accesskeyid";
    static final String AWS_SECRET_ACCESS_KEY = "aws.credentials.provider.basic.secretkey";

    private KinesisSourceFactory() {}

    /** Adds the source to {@code env}: raw records of every shard of {@code kinesis.stream}. */
    public static DataStream<byte[]> addTo(StreamExecutionEnvironment env, JobConfig config) {
        return env.addSource(create(config), UID, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO).uid(UID);
    }

    public static FlinkKinesisConsumer<byte[]> create(JobConfig config) {
        return new FlinkKinesisConsumer<>(streamName(config.get(KinesisOptions.STREAM)), new RawBytes(),
                consumerConfig(config));
    }

    /** The connector settings; public so the wiring and tests can see exactly what is used. */
    public static Properties consumerConfig(JobConfig config) {
        Properties c = new Properties();
        c.setProperty(AWS_REGION, config.kinesisRegion());
        URI endpoint = config.kinesisEndpoint();
        if (endpoint != null) {
            c.setProperty(AWS_ENDPOINT, endpoint.toString());
        }
        if (config.get(KinesisOptions.CREDENTIALS_PROVIDER) == CredentialsProvider.BASIC) {
            c.setProperty(AWS_CREDENTIALS_PROVIDER, "BASIC");
            c.setProperty(AWS_ACCESS_KEY_ID, config.get(KinesisOptions.ACCESS_KEY_ID));
            c.setProperty(AWS_SECRET_ACCESS_KEY, config.get(KinesisOptions.SECRET_ACCESS_KEY));
        } else {
            c.setProperty(AWS_CREDENTIALS_PROVIDER, "AUTO");
        }
        c.setProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION, config.get(KinesisOptions.INITIAL_POSITION)
                .name());
        Instant timestamp = config.kinesisInitialTimestamp();
        if (timestamp != null) {
            // Seconds since the epoch: the format the connector parses without a date pattern.
            c.setProperty(ConsumerConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    BigDecimal.valueOf(timestamp.toEpochMilli(), 3).toPlainString());
        }
        c.setProperty(ConsumerConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS,
                Long.toString(config.get(KinesisOptions.SHARD_DISCOVERY_INTERVAL).toMillis()));
        c.setProperty(ConsumerConfigConstants.RECORD_PUBLISHER_TYPE, "POLLING");
        // A fixed pace per shard; adaptive reads would shorten it when records are small.
        c.setProperty(ConsumerConfigConstants.SHARD_GETRECORDS_INTERVAL_MILLIS,
                Long.toString(config.get(KinesisOptions.POLL_INTERVAL).toMillis()));
        c.setProperty(ConsumerConfigConstants.SHARD_USE_ADAPTIVE_READS, "false");
        return c;
    }

    /** {@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME} to NAME (the consumer takes names). */
    static String streamName(String streamArn) {
        int slash = streamArn.lastIndexOf("stream/");
        if (!streamArn.startsWith("arn:") || slash < 0) {
            throw new IllegalArgumentException("kinesis.stream must be a stream ARN, got '" + streamArn + "'");
        }
        return streamArn.substring(slash + "stream/".length());
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
