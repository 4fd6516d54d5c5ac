package io.paralleltranslation.deploy;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.paralleltranslation.job.config.ConfigKey;
import io.paralleltranslation.job.config.JobConfig;

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
    static final JobConfig.InitialPosition INITIAL_POSITION = JobConfig.InitialPosition.TRIM_HORIZON;

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
        p.put(JobConfig.KINESIS_STREAM, streamArn);
        p.put(JobConfig.KINESIS_REGION, region);
        p.put(JobConfig.KINESIS_INITIAL_POSITION, INITIAL_POSITION.name());
        p.put(JobConfig.DYNAMODB_TABLE, tableName);
        p.put(JobConfig.DYNAMODB_REGION, region);
        p.put(JobConfig.DYNAMODB_QUOTA_SCOPE, env.quotaScope());
        p.put(JobConfig.CACHE_TABLE, cacheTableName);
        p.put(JobConfig.GEMINI_MODEL, env.geminiModel());
        // The job fetches the key itself on the task managers; only the secret's ARN is a property.
        p.put(JobConfig.GEMINI_API_KEY_SOURCE, SECRETS_MANAGER_PREFIX + secretArn);
        p.put(JobConfig.GEMINI_REQUEST_TIMEOUT, env.geminiRequestTimeout());
        p.put(JobConfig.QUOTA_RPM, Long.toString(env.quotaRpm()));
        p.put(JobConfig.QUOTA_TPM, Long.toString(env.quotaTpm()));
        p.put(JobConfig.QUOTA_RPD, Long.toString(env.quotaRpd()));
        p.put(JobConfig.QUOTA_DAY_ZONE, env.quotaDayZone());
        p.put(JobConfig.QUOTA_INSTANCES, Integer.toString(env.quotaInstances()));
        p.put(JobConfig.TRANSLATE_CAPACITY, Integer.toString(env.translateCapacity()));
        p.put(JobConfig.OUTPUT_PATH, "s3://" + bucketName + "/" + OUTPUT_PREFIX);
        // Managed Flink's checkpoint configuration wins over the job's; keeping both equal means
        // the job behaves the same when it runs elsewhere (EMR, locally).
        p.put(JobConfig.JOB_CHECKPOINT_INTERVAL, Duration.ofMillis(env.checkpointIntervalMs()));
        return p.frozen();
    }

    /** The {@code group.key} names of a property-group map. */
    public static Set<String> fullKeys(Map<String, Map<String, String>> groups) {
        Set<String> keys = new TreeSet<>();
        groups.forEach((group, properties) -> properties.keySet().forEach(k -> keys.add(group + "." + k)));
        return keys;
    }

    /** The property groups as flat {@code group.key} settings, the shape {@link JobConfig#of} reads. */
    public static Map<String, String> flatten(Map<String, Map<String, String>> groups) {
        Map<String, String> flat = new LinkedHashMap<>();
        groups.forEach((group, properties) -> properties.forEach((k, v) -> flat.put(group + "." + k, v)));
        return flat;
    }

    private void put(ConfigKey<Duration> key, Duration value) {
        put(key, key.format(value));
    }

    private void put(ConfigKey<?> key, String value) {
        groups.computeIfAbsent(key.group(), g -> new LinkedHashMap<>()).put(key.localName(), value);
    }

    private Map<String, Map<String, String>> frozen() {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        groups.forEach((g, props) -> copy.put(g, Collections.unmodifiableMap(props)));
        return Collections.unmodifiableMap(copy);
    }
}
