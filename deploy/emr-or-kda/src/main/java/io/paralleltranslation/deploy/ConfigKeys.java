package io.paralleltranslation.deploy;

/**
 * The job's configuration keys, written as {@code group.key}: the group is a Managed Flink runtime
 * property group (and a top-level object of the local JSON config file), the key a property in it.
 * Every key the deployment sets is named here and nowhere else, so a rename is one edit.
 */
public final class ConfigKeys {

    public static final String KINESIS_STREAM = "kinesis.stream";
    public static final String KINESIS_REGION = "kinesis.region";
    public static final String KINESIS_INITIAL_POSITION = "kinesis.initial-position";

    public static final String DYNAMODB_TABLE = "dynamodb.table";
    public static final String DYNAMODB_REGION = "dynamodb.region";
    public static final String DYNAMODB_QUOTA_SCOPE = "dynamodb.quota-scope";

    public static final String GEMINI_MODEL = "gemini.model";
    /** The ARN of the Secrets Manager secret holding the API key; the key itself is never a property. */
    public static final String GEMINI_API_KEY_SECRET = "gemini.api-key-secret";
    public static final String GEMINI_REQUEST_TIMEOUT_MS = "gemini.request-timeout-ms";

    public static final String QUOTA_RPM = "quota.rpm";
    public static final String QUOTA_TPM = "quota.tpm";
    public static final String QUOTA_RPD = "quota.rpd";
    public static final String QUOTA_DAY_ZONE = "quota.day-zone";
    public static final String QUOTA_INSTANCES = "quota.instances";

    public static final String TRANSLATE_CAPACITY = "translate.capacity";

    public static final String OUTPUT_PATH = "output.path";

    public static final String JOB_CHECKPOINT_INTERVAL_MS = "job.checkpoint-interval-ms";

    private ConfigKeys() {
    }

    /** The property group of a {@code group.key} name. */
    public static String group(String fullKey) {
        return fullKey.substring(0, dot(fullKey));
    }

    /** The property name inside its group of a {@code group.key} name. */
    public static String property(String fullKey) {
        return fullKey.substring(dot(fullKey) + 1);
    }

    private static int dot(String fullKey) {
        int dot = fullKey.indexOf('.');
        if (dot <= 0 || dot == fullKey.length() - 1) {
            throw new IllegalArgumentException("A config key is group.key, got '" + fullKey + "'");
        }
        return dot;
    }
}
