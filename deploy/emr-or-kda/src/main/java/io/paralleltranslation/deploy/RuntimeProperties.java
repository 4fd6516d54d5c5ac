package io.paralleltranslation.deploy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the job's configuration for one environment as property groups: group name to
 * (property to value). Managed Flink receives it as runtime property groups; the same shape is the
 * job's local JSON config file. Values may be CDK tokens (ARNs, names) resolved at deploy time.
 */
public final class RuntimeProperties {

    /** S3 key prefix (inside the artifacts bucket) the job writes documents to. */
    public static final String OUTPUT_PREFIX = "output/";
    /** Where the job puts documents it could not complete, under the output prefix. */
    public static final String DEAD_LETTER_PREFIX = OUTPUT_PREFIX + "_dead-letter/";
    /**
     * A new application reads the retained stream from the start; a restored one resumes from the
     * positions in its snapshot, which take precedence.
     */
    static final String INITIAL_POSITION = "TRIM_HORIZON";

    private final Map<String, Map<String, String>> groups = new LinkedHashMap<>();

    private RuntimeProperties() {
    }

    /**
     * @param region       the region of the stream and the table (the stack's region)
     * @param streamArn    the input stream; the Kinesis source addresses streams by ARN
     * @param tableName    the quota table
     * @param secretArn    the secret holding the Gemini API key
     * @param bucketName   the artifacts bucket; output goes under {@link #OUTPUT_PREFIX}
     */
    public static Map<String, Map<String, String>> build(EnvironmentConfig env, String region,
            String streamArn, String tableName, String secretArn, String bucketName) {
        RuntimeProperties p = new RuntimeProperties();
        p.put(ConfigKeys.KINESIS_STREAM, streamArn);
        p.put(ConfigKeys.KINESIS_REGION, region);
        p.put(ConfigKeys.KINESIS_INITIAL_POSITION, INITIAL_POSITION);
        p.put(ConfigKeys.DYNAMODB_TABLE, tableName);
        p.put(ConfigKeys.DYNAMODB_REGION, region);
        p.put(ConfigKeys.DYNAMODB_QUOTA_SCOPE, env.quotaScope());
        p.put(ConfigKeys.GEMINI_MODEL, env.geminiModel());
        p.put(ConfigKeys.GEMINI_API_KEY_SECRET, secretArn);
        p.put(ConfigKeys.GEMINI_REQUEST_TIMEOUT_MS, env.geminiRequestTimeoutMs());
        p.put(ConfigKeys.QUOTA_RPM, env.quotaRpm());
        p.put(ConfigKeys.QUOTA_TPM, env.quotaTpm());
        p.put(ConfigKeys.QUOTA_RPD, env.quotaRpd());
        p.put(ConfigKeys.QUOTA_DAY_ZONE, env.quotaDayZone());
        p.put(ConfigKeys.QUOTA_INSTANCES, env.quotaInstances());
        p.put(ConfigKeys.TRANSLATE_CAPACITY, env.translateCapacity());
        p.put(ConfigKeys.OUTPUT_PATH, "s3://" + bucketName + "/" + OUTPUT_PREFIX);
        // Managed Flink's checkpoint configuration wins over the job's; keeping both equal means
        // the job behaves the same when it runs elsewhere (EMR, locally).
        p.put(ConfigKeys.JOB_CHECKPOINT_INTERVAL_MS, env.checkpointIntervalMs());
        return p.frozen();
    }

    /** The {@code group.key} names of a property-group map. */
    public static Set<String> fullKeys(Map<String, Map<String, String>> groups) {
        Set<String> keys = new TreeSet<>();
        groups.forEach((group, properties) -> properties.keySet().forEach(k -> keys.add(group + "." + k)));
        return keys;
    }

    private void put(String fullKey, long value) {
        put(fullKey, Long.toString(value));
    }

    private void put(String fullKey, String value) {
        groups.computeIfAbsent(ConfigKeys.group(fullKey), g -> new LinkedHashMap<>())
                .put(ConfigKeys.property(fullKey), value);
    }

    private Map<String, Map<String, String>> frozen() {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        groups.forEach((g, props) -> copy.put(g, Collections.unmodifiableMap(props)));
        return Collections.unmodifiableMap(copy);
    }
}
