package io.paralleltranslation.deploy;

/**
 * Where Managed Flink puts metrics in CloudWatch, and the names of the built-in ones the alarms and
 * the dashboard read. The job's own metrics keep the names its operators register
 * ({@link io.paralleltranslation.operators.metrics.MetricNames}): Managed Flink publishes those
 * registered under the {@code kinesisanalytics} group (counters, gauges and meters; not histograms)
 * into the same namespace, with the application name as the only dimension at metrics level
 * APPLICATION.
 */
public final class ManagedFlinkMetrics {

    public static final String NAMESPACE = "AWS/KinesisAnalytics";
    public static final String APPLICATION_DIMENSION = "Application";

    // Published by Managed Flink and the Kinesis source (FlinkKinesisConsumer: millisBehindLatest per shard).
    public static final String MILLIS_BEHIND_LATEST = "millisBehindLatest";
    public static final String FULL_RESTARTS = "fullRestarts";
    public static final String DOWNTIME = "downtime";
    public static final String KPUS = "KPUs";
    /** Milliseconds the last completed checkpoint took. */
    public static final String LAST_CHECKPOINT_DURATION = "lastCheckpointDuration";
    /** Failed (declined or expired) checkpoints since the job started: a running count. */
    public static final String FAILED_CHECKPOINTS = "numberOfFailedCheckpoints";

    private ManagedFlinkMetrics() {
    }
}
