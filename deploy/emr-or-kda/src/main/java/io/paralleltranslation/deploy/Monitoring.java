package io.paralleltranslation.deploy;

import io.paralleltranslation.job.config.JobOptions;
import io.paralleltranslation.operators.metrics.MetricNames;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.SingleValueWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * Alarms that page on quota violations, lost documents, a degraded limiter, lag and restarts, and
 * one dashboard with throughput, concurrency, quota wait, Gemini latency, tokens and documents.
 * Operator metrics are read as per-period counts (Sum) or levels (Average/Maximum).
 */
public final class Monitoring extends Construct {

    /** Percentage of finished documents that may end incomplete before the alarm fires. */
    public static final double INCOMPLETE_DOCUMENTS_PERCENT = 5.0;

    private static final Duration ONE_MINUTE = Duration.minutes(1);
    private static final Duration FIVE_MINUTES = Duration.minutes(5);
    /** Half the job's default checkpoint timeout ({@code job.checkpoint-timeout}). */
    static final long CHECKPOINT_DURATION_ALARM_MS =
            JobOptions.CHECKPOINT_TIMEOUT.defaultValue().toMillis() / 2;
    private static final Duration FIFTEEN_MINUTES = Duration.minutes(15);

    /** The stream's read-side age metric (basic, free stream-level metric of Kinesis Data Streams). */
    public static final String KINESIS_NAMESPACE = "AWS/Kinesis";
    public static final String ITERATOR_AGE = "GetRecords.IteratorAgeMilliseconds";

    private final String applicationName;
    private final String streamName;
    private final int parallelism;
    private final Topic alarmTopic;
    private final Dashboard dashboard;

    public Monitoring(Construct scope, String id, EnvironmentConfig env, String applicationName) {
        super(scope, id);
        this.applicationName = applicationName;
        this.streamName = env.streamName();
        this.parallelism = env.parallelism();
        this.alarmTopic = Topic.Builder.create(this, "AlarmTopic")
                .displayName(env.prefix() + " translation alarms")
                .enforceSsl(true)
                .build();

        alarm("Gemini429Alarm", "Gemini answered 429: the global quota was exceeded",
                metric(MetricNames.GEMINI_429, "Sum", ONE_MINUTE), 0, ComparisonOperator.GREATER_THAN_THRESHOLD, 1);
        alarm("IncompleteDocumentsAlarm", "More than 5% of finished documents ended incomplete or failed",
                incompletePercent(FIFTEEN_MINUTES), INCOMPLETE_DOCUMENTS_PERCENT,
                ComparisonOperator.GREATER_THAN_THRESHOLD, 1);
        alarm("LimiterFallbackAlarm", "The quota limiter lost DynamoDB and runs on local shares",
                metric(MetricNames.LIMITER_FALLBACK_ACTIVE, "Maximum", ONE_MINUTE), 1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1);
        // The stream's own metric: Kinesis publishes it whenever anyone reads the stream, whichever
        // source version the job runs (4.3.0's KinesisStreamsSource registered no lag metric at all).
        alarm("IteratorAgeAlarm", "The job reads the input stream too far behind its tip",
                streamIteratorAge(), env.iteratorAgeAlarmMs(), ComparisonOperator.GREATER_THAN_THRESHOLD, 5);
        alarm("RestartsAlarm", "The Flink job restarted",
                MathExpression.Builder.create()
                        .expression("DIFF(restarts)")
                        .usingMetrics(Collections.singletonMap("restarts",
                                metric(ManagedFlinkMetrics.FULL_RESTARTS, "Maximum", FIVE_MINUTES)))
                        .label("restarts")
                        .period(FIVE_MINUTES)
                        .build(),
                0, ComparisonOperator.GREATER_THAN_THRESHOLD, 1);
        alarm("DowntimeAlarm", "The Flink job is down (failing or recovering)",
                metric(ManagedFlinkMetrics.DOWNTIME, "Maximum", ONE_MINUTE), 0, ComparisonOperator.GREATER_THAN_THRESHOLD, 5);

        // Under a backlog a checkpoint that takes half its timeout is close to expiring; an expired
        // one rolls nothing back by itself, but job.tolerable-checkpoint-failures of them restart the
        // job, which re-pays every call since the last checkpoint.
        alarm("CheckpointDurationAlarm", "Checkpoints take more than half of job.checkpoint-timeout",
                metric(ManagedFlinkMetrics.LAST_CHECKPOINT_DURATION, "Maximum", ONE_MINUTE),
                CHECKPOINT_DURATION_ALARM_MS, ComparisonOperator.GREATER_THAN_THRESHOLD, 3);
        alarm("FailedCheckpointsAlarm", "A checkpoint failed or expired",
                MathExpression.Builder.create()
                        .expression("DIFF(failed)")
                        .usingMetrics(Collections.singletonMap("failed",
                                metric(ManagedFlinkMetrics.FAILED_CHECKPOINTS, "Maximum", FIVE_MINUTES)))
                        .label("failed checkpoints")
                        .period(FIVE_MINUTES)
                        .build(),
                0, ComparisonOperator.GREATER_THAN_THRESHOLD, 1);

        this.dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(env.prefix() + "-translation")
                .widgets(widgets())
                .build();
    }

    public Topic alarmTopic() {
        return alarmTopic;
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    private void alarm(String id, String description, IMetric metric, double threshold,
            ComparisonOperator comparison, int evaluationPeriods) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description + " (runbook: docs/deploy.md)")
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(comparison)
                .evaluationPeriods(evaluationPeriods)
                .datapointsToAlarm(evaluationPeriods)
                // No datapoints means the job is idle or not yet reporting, not that it is failing;
                // the downtime and restart alarms cover a job that stopped reporting.
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(alarmTopic));
        alarm.addOkAction(new SnsAction(alarmTopic));
    }

    private MathExpression incompletePercent(Duration period) {
        Map<String, IMetric> m = new LinkedHashMap<>();
        m.put("done", metric(MetricNames.DOCUMENTS_COMPLETED, "Sum", period));
        m.put("incomplete", metric(MetricNames.DOCUMENTS_INCOMPLETE, "Sum", period));
        m.put("failed", metric(MetricNames.DOCUMENTS_FAILED, "Sum", period));
        return MathExpression.Builder.create()
                .expression("IF((done + incomplete + failed) > 0,"
                        + " 100 * (incomplete + failed) / (done + incomplete + failed), 0)")
                .usingMetrics(m)
                .label("incomplete documents %")
                .period(period)
                .build();
    }

    /** Age of the oldest record the stream's consumers got in the minute, in AWS/Kinesis. */
    private Metric streamIteratorAge() {
        return Metric.Builder.create()
                .namespace(KINESIS_NAMESPACE)
                .metricName(ITERATOR_AGE)
                .dimensionsMap(Collections.singletonMap("StreamName", streamName))
                .statistic("Maximum")
                .period(ONE_MINUTE)
                .build();
    }

    private Metric metric(String name, String statistic, Duration period) {
        return Metric.Builder.create()
                .namespace(ManagedFlinkMetrics.NAMESPACE)
                .metricName(name)
                .dimensionsMap(Collections.singletonMap(ManagedFlinkMetrics.APPLICATION_DIMENSION, applicationName))
                .statistic(statistic)
                .period(period)
                .build();
    }

    private List<List<IWidget>> widgets() {
        // The meter is each subtask's rate over the last minute; at metrics level APPLICATION every
        // subtask's value is a sample of one metric, so the mean times the parallelism is the job's rate.
        IMetric chunksPerSecond = MathExpression.Builder.create()
                .expression("rate * " + parallelism)
                .usingMetrics(Collections.singletonMap("rate",
                        metric(MetricNames.CHUNKS_TRANSLATED, "Average", ONE_MINUTE)))
                .label("chunks/s")
                .period(ONE_MINUTE)
                .build();
        return Arrays.asList(
                Arrays.asList(
                        graph("Chunks translated per second", chunksPerSecond),
                        graph("Gemini requests in flight",
                                metric(MetricNames.REQUESTS_IN_FLIGHT, "Maximum", ONE_MINUTE),
                                metric(MetricNames.REQUESTS_IN_FLIGHT, "Average", ONE_MINUTE)),
                        graph("Quota wait (ms, recent p50 and p95)",
                                metric(MetricNames.QUOTA_WAIT_MILLIS_P50, "Average", ONE_MINUTE),
                                metric(MetricNames.QUOTA_WAIT_MILLIS_P95, "Maximum", ONE_MINUTE))),
                Arrays.asList(
                        graph("Gemini latency (ms, recent p50 and p95)",
                                metric(MetricNames.GEMINI_LATENCY_MILLIS_P50, "Average", ONE_MINUTE),
                                metric(MetricNames.GEMINI_LATENCY_MILLIS_P95, "Maximum", ONE_MINUTE)),
                        graph("Tokens per minute",
                                metric(MetricNames.INPUT_TOKENS, "Sum", ONE_MINUTE),
                                metric(MetricNames.OUTPUT_TOKENS, "Sum", ONE_MINUTE)),
                        graph("Documents per minute",
                                metric(MetricNames.DOCUMENTS_COMPLETED, "Sum", ONE_MINUTE),
                                metric(MetricNames.DOCUMENTS_INCOMPLETE, "Sum", ONE_MINUTE),
                                metric(MetricNames.DOCUMENTS_FAILED, "Sum", ONE_MINUTE))),
                Arrays.asList(
                        graph("429s, retries and limiter fallback",
                                metric(MetricNames.GEMINI_429, "Sum", ONE_MINUTE),
                                metric(MetricNames.RETRIES, "Sum", ONE_MINUTE),
                                metric(MetricNames.LIMITER_FALLBACK_ACTIVE, "Maximum", ONE_MINUTE)),
                        graph("Input lag (ms behind latest)",
                                metric(ManagedFlinkMetrics.MILLIS_BEHIND_LATEST, "Maximum", ONE_MINUTE),
                                streamIteratorAge()),
                        graph("Restarts, downtime and KPUs",
                                metric(ManagedFlinkMetrics.FULL_RESTARTS, "Maximum", ONE_MINUTE),
                                metric(ManagedFlinkMetrics.DOWNTIME, "Maximum", ONE_MINUTE),
                                metric(ManagedFlinkMetrics.KPUS, "Average", ONE_MINUTE))),
                // The limiter's own signals are cumulative counts per TaskManager (every subtask of one
                // TaskManager reports the same): Maximum shows the busiest one, its slope the rate.
                Arrays.asList(
                        graph("Quota limiter: grants, denials, leases",
                                metric(MetricNames.LIMITER_GRANTED, "Maximum", ONE_MINUTE),
                                metric(MetricNames.LIMITER_DENIED, "Maximum", ONE_MINUTE),
                                metric(MetricNames.LIMITER_LEASED, "Maximum", ONE_MINUTE)),
                        graph("Quota limiter: DynamoDB calls, conflicts, throttling, lost answers",
                                metric(MetricNames.LIMITER_STORE_CALLS, "Maximum", ONE_MINUTE),
                                metric(MetricNames.LIMITER_CONDITIONAL_FAILURES, "Maximum", ONE_MINUTE),
                                metric(MetricNames.LIMITER_THROTTLED, "Maximum", ONE_MINUTE),
                                metric(MetricNames.LIMITER_LOST_RESPONSES_RECOVERED, "Maximum", ONE_MINUTE)),
                        graph("Quota limiter: fallback, limit cuts and over-debits",
                                metric(MetricNames.LIMITER_FALLBACK_ENTERED, "Maximum", ONE_MINUTE),
                                metric(MetricNames.LIMITER_LIMIT_CUTS, "Maximum", ONE_MINUTE),
                                metric(MetricNames.LIMITER_FALLBACK_ACTIVE, "Maximum", ONE_MINUTE),
                                metric(MetricNames.LIMITER_OVER_DEBIT_TOKENS, "Maximum", ONE_MINUTE))),
                Collections.singletonList(
                        graph("Translation cache: calls saved, misses, errors",
                                metric(MetricNames.GEMINI_CALLS_SAVED, "Sum", ONE_MINUTE),
                                metric(MetricNames.CACHE_MISSES, "Sum", ONE_MINUTE),
                                metric(MetricNames.CACHE_ERRORS, "Sum", ONE_MINUTE),
                                metric(MetricNames.CACHE_WRITES_SKIPPED, "Sum", ONE_MINUTE))),
                Arrays.asList(
                        graph("Checkpoints: last duration (ms) and failures",
                                metric(ManagedFlinkMetrics.LAST_CHECKPOINT_DURATION, "Maximum", ONE_MINUTE),
                                metric(ManagedFlinkMetrics.FAILED_CHECKPOINTS, "Maximum", ONE_MINUTE)),
                        graph("Backlog (chunks in translation) and requests left today",
                                metric(MetricNames.BACKLOG_CHUNKS, "Sum", ONE_MINUTE),
                                metric(MetricNames.REQUESTS_LEFT_TODAY, "Minimum", ONE_MINUTE)),
                        graph("Documents reopened by late results",
                                metric(MetricNames.DOCUMENTS_REOPENED, "Sum", ONE_MINUTE))),
                costWidgets());
    }

    /**
     * The estimated Gemini cost (the statuses' estimatedCostUsd, counted in micro-dollars) as a
     * running total over the dashboard's range and as one number, next to what the auto-stop
     * function reads: records put on the stream and chunks inside the job.
     */
    private List<IWidget> costWidgets() {
        Metric microUsd = metric(MetricNames.ESTIMATED_COST_MICRO_USD, "Sum", ONE_MINUTE);
        IMetric runningTotal = MathExpression.Builder.create()
                .expression("RUNNING_SUM(cost) / 1000000")
                .usingMetrics(Collections.singletonMap("cost", microUsd))
                .label("USD, running total")
                .period(ONE_MINUTE)
                .build();
        IMetric total = MathExpression.Builder.create()
                .expression("cost / 1000000")
                .usingMetrics(Collections.singletonMap("cost", microUsd))
                .label("USD")
                .build();
        Metric incomingRecords = Metric.Builder.create()
                .namespace("AWS/Kinesis")
                .metricName("IncomingRecords")
                .dimensionsMap(Collections.singletonMap("StreamName", streamName))
                .statistic("Sum")
                .period(ONE_MINUTE)
                .build();
        return Arrays.asList(
                graph("Estimated Gemini cost (USD, running total)", runningTotal),
                SingleValueWidget.Builder.create()
                        .title("Estimated Gemini cost in the range (USD)")
                        .metrics(Collections.singletonList(total))
                        .setPeriodToTimeRange(true)
                        .width(8)
                        .height(6)
                        .build(),
                graph("Idle check: records put, chunks in flight", incomingRecords,
                        metric(MetricNames.CHUNKS_IN_FLIGHT, "Maximum", ONE_MINUTE)));

    }

    private static GraphWidget graph(String title, IMetric... metrics) {
        return GraphWidget.Builder.create()
                .title(title)
                .left(Arrays.asList(metrics))
                .width(8)
                .height(6)
                .build();
    }
}
