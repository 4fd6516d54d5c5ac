package io.paralleltranslation.deploy;

/**
 * CloudWatch names of the metrics the alarms and the dashboard read. Managed Flink publishes the
 * job's own metrics (registered under the {@code kinesisanalytics} metric group) and its built-in
 * ones in one namespace, with the application name as the only dimension at metrics level
 * APPLICATION. The operator metric names must equal the names the job registers.
 */
public final class MetricNames {

    public static final String NAMESPACE = "AWS/KinesisAnalytics";
    public static final String APPLICATION_DIMENSION = "Application";

    // Registered by the job's operators.
    public static final String CHUNKS_TRANSLATED = "chunksTranslated";
    public static final String REQUESTS_IN_FLIGHT = "requestsInFlight";
    public static final String QUOTA_WAIT_MS = "quotaWaitMs";
    public static final String GEMINI_LATENCY_MS = "geminiLatencyMs";
    public static final String GEMINI_429 = "gemini429";
    public static final String RETRIES = "retries";
    public static final String INPUT_TOKENS = "inputTokens";
    public static final String OUTPUT_TOKENS = "outputTokens";
    public static final String DOCUMENTS_COMPLETED = "documentsCompleted";
    public static final String DOCUMENTS_INCOMPLETE = "documentsIncomplete";
    public static final String LIMITER_FALLBACK_ACTIVE = "limiterFallbackActive";

    // Published by Managed Flink and the Kinesis source.
    public static final String MILLIS_BEHIND_LATEST = "millisBehindLatest";
    public static final String FULL_RESTARTS = "fullRestarts";
    public static final String DOWNTIME = "downtime";
    public static final String KPUS = "KPUs";

    private MetricNames() {
    }
}
