package io.paralleltranslation.deploy;

import io.paralleltranslation.cli.Durations;
import io.paralleltranslation.job.config.CacheOptions;
import io.paralleltranslation.job.config.DynamoDbOptions;
import io.paralleltranslation.job.config.GeminiOptions;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.JobOptions;
import io.paralleltranslation.job.config.KinesisOptions;
import io.paralleltranslation.job.config.OutputOptions;
import io.paralleltranslation.job.config.QuotaOptions;
import io.paralleltranslation.job.config.TranslateOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * Builds the job's configuration for one environment as property groups: group name to
 * (property to value), keyed by the job's own {@link JobConfig} keys and written in the text form
 * the job parses (durations as {@code 1min}, the API key as {@code secretsmanager:ARN}). Managed
 * Flink receives it as runtime property groups; the same shape is the job's JSON config file.
 * Values may be CDK tokens (ARNs, names) resolved at deploy time.
 */
public final class RuntimeProperties {

    /** S3 key prefix (inside the artifacts bucket) the job writes documents to. */
    public static final String OUTPUT_PREFIX = "output/";
    /** Where the job puts records it could not use, under the output prefix. */
    public static final String DEAD_LETTER_PREFIX = OUTPUT_PREFIX + "_dead-letter/";
    /** Prefix of {@code gemini.api-key-source} naming a Secrets Manager secret. */
    public static final String SECRETS_MANAGER_PREFIX = "secretsmanager:";
    /**
     * A new application reads the retained stream from the start; a restored one resumes from the
     * positions in its snapshot, which take precedence.
     */
    static final KinesisOptions.InitialPosition INITIAL_POSITION = KinesisOptions.InitialPosition.TRIM_HORIZON;

    private final Map<String, Map<String, String>> groups = new LinkedHashMap<>();

    private RuntimeProperties() {
    }

    /**
     * @param region       the region of the stream and the table (the stack's region)
     * @param streamArn    the input stream; the Kinesis source addresses streams by ARN
     * @param tableName    the quota table
     * @param cacheTableName the translation cache's table
     * @param secretArn    the secret holding the Gemini API key
     * @param bucketName   the artifacts bucket; output goes under {@link #OUTPUT_PREFIX}
     */
    public static Map<String, Map<String, String>> build(EnvironmentConfig env, String region,
            String streamArn, String tableName, String cacheTableName, String secretArn, String bucketName) {
        RuntimeProperties p = new RuntimeProperties();
        p.put(KinesisOptions.STREAM, streamArn);
        p.put(KinesisOptions.REGION, region);
        p.put(KinesisOptions.INITIAL_POSITION, INITIAL_POSITION.name());
        p.put(DynamoDbOptions.TABLE, tableName);
        p.put(DynamoDbOptions.REGION, region);
        p.put(DynamoDbOptions.QUOTA_SCOPE, env.quotaScope());
        p.put(CacheOptions.TABLE, cacheTableName);
        p.put(GeminiOptions.MODEL, env.geminiModel());
        // The job fetches the key itself on the task managers; only the secret's ARN is a property.
        p.put(GeminiOptions.API_KEY_SOURCE, SECRETS_MANAGER_PREFIX + secretArn);
        p.put(GeminiOptions.REQUEST_TIMEOUT, env.geminiRequestTimeout());
        p.put(QuotaOptions.RPM, Long.toString(env.quotaRpm()));
        p.put(QuotaOptions.TPM, Long.toString(env.quotaTpm()));
        p.put(QuotaOptions.RPD, Long.toString(env.quotaRpd()));
        p.put(QuotaOptions.DAY_ZONE, env.quotaDayZone());
        p.put(QuotaOptions.INSTANCES, Integer.toString(env.quotaInstances()));
        p.put(TranslateOptions.CAPACITY, Integer.toString(env.translateCapacity()));
        p.put(OutputOptions.PATH, "s3://" + bucketName + "/" + OUTPUT_PREFIX);
        // Managed Flink's checkpoint configuration wins over the job's; keeping both equal means
        // the job behaves the same when it runs elsewhere (EMR, locally).
        p.put(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(env.checkpointIntervalMs()));
        return p.frozen();
    }

    private void put(ConfigOption<Duration> option, Duration value) {
        put(option, Durations.format(value));
    }

    /** A {@code group.key} option goes in property group {@code group} as {@code key}. */
    private void put(ConfigOption<?> option, String value) {
        int dot = option.key().indexOf('.');
        groups.computeIfAbsent(option.key().substring(0, dot), g -> new LinkedHashMap<>())
                .put(option.key().substring(dot + 1), value);
    }

    private Map<String, Map<String, String>> frozen() {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        groups.forEach((g, props) -> copy.put(g, Collections.unmodifiableMap(props)));
        return Collections.unmodifiableMap(copy);
    }
}
