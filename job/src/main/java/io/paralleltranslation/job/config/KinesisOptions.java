package io.paralleltranslation.job.config;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** {@code kinesis.*}: the chunk stream the job reads. */
public final class KinesisOptions {
    /** Where Kinesis reading starts when the job has no checkpoint to resume from. */
    public enum InitialPosition { LATEST, TRIM_HORIZON, AT_TIMESTAMP }

    /** AUTO: the AWS default chain (roles on AWS); BASIC: the static keys below (stand-ins). */
    public enum CredentialsProvider { AUTO, BASIC }

    /** A stream ARN; group 1 is its region. */
    static final Pattern STREAM_ARN =
            Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z0-9-]+):\\d{12}:stream/[A-Za-z0-9_.-]{1,128}");

    public static final ConfigOption<String> STREAM = ConfigOptions.key("kinesis.stream").stringType().noDefaultValue()
            .withDescription("ARN of the chunk stream, arn:aws:kinesis:REGION:ACCOUNT:stream/NAME");
    public static final ConfigOption<String> REGION = ConfigOptions.key("kinesis.region").stringType().noDefaultValue()
            .withDescription("AWS region of the stream; unset: the region in the stream ARN");
    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("kinesis.endpoint").stringType()
            .noDefaultValue()
            .withDescription("Kinesis endpoint override, a URL (a stand-in's plain-HTTP URL); unset: AWS");
    public static final ConfigOption<InitialPosition> INITIAL_POSITION = ConfigOptions.key("kinesis.initial-position")
            .enumType(InitialPosition.class).defaultValue(InitialPosition.TRIM_HORIZON)
            .withDescription("where reading starts without a checkpoint; TRIM_HORIZON keeps chunks put before the "
                    + "job started");
    public static final ConfigOption<String> INITIAL_TIMESTAMP = ConfigOptions.key("kinesis.initial-timestamp")
            .stringType().noDefaultValue()
            .withDescription("ISO-8601 instant to start from; required with initial-position AT_TIMESTAMP");
    public static final ConfigOption<Duration> SHARD_DISCOVERY_INTERVAL = ConfigOptions
            .key("kinesis.shard-discovery-interval").durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("how often the source looks for new shards");
    public static final ConfigOption<Duration> POLL_INTERVAL = ConfigOptions.key("kinesis.poll-interval")
            .durationType().defaultValue(Duration.ofMillis(250))
            .withDescription("pause between two GetRecords calls on one shard, busy or idle: a chunk waits up to "
                    + "this long before it is read. Kinesis allows 5 a second per shard for ALL consumers of the "
                    + "stream, so at least 200ms (250ms: 4 a second, one left for another consumer; each call reads "
                    + "up to 10,000 records or 10 MB)");
    public static final ConfigOption<CredentialsProvider> CREDENTIALS_PROVIDER = ConfigOptions
            .key("kinesis.credentials-provider").enumType(CredentialsProvider.class)
            .defaultValue(CredentialsProvider.AUTO)
            .withDescription("AUTO on AWS; BASIC with the static keys for stand-ins");
    public static final ConfigOption<String> ACCESS_KEY_ID = ConfigOptions.key("kinesis.access-key-id").stringType()
            .defaultValue("local").withDescription("static access key id for BASIC (stand-ins only)");
    public static final ConfigOption<String> SECRET_ACCESS_KEY = ConfigOptions.key("kinesis.secret-access-key")
            .stringType().defaultValue("local")
            .withDescription("static secret key for BASIC (stand-ins only); masked in logs");

    static final OptionRules RULES = new OptionRules()
            .required(STREAM)
            .check(STREAM, v -> STREAM_ARN.matcher(v).matches() ? null : "is not a Kinesis stream ARN")
            .parses(ENDPOINT, "url", OptionRules::parseUrl)
            .parses(INITIAL_TIMESTAMP, "instant", Instant::parse)
            .secret(SECRET_ACCESS_KEY)
            .check(SHARD_DISCOVERY_INTERVAL, OptionRules.positive())
            .check(POLL_INTERVAL, v -> v.compareTo(Duration.ofMillis(200)) < 0 ? "must be at least 200ms (Kinesis "
                    + "allows 5 GetRecords a second per shard)" : null);

    private KinesisOptions() {}
}
