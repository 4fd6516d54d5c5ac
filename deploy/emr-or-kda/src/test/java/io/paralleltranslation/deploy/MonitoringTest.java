package io.paralleltranslation.deploy;

import static io.paralleltranslation.deploy.Templates.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.paralleltranslation.operators.metrics.MetricNames;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class MonitoringTest {

    private static Template dev;
    private static Template prod;
    private static Object topic;
    private static Object application;

    @BeforeAll
    static void synthesize() {
        dev = Templates.application("dev");
        prod = Templates.application("prod");
        topic = Collections.singletonMap("Ref", dev.getResourceId("AWS::SNS::Topic"));
        application = Collections.singletonList(map("Name", "Application", "Value",
                Collections.singletonMap("Ref", "Application")));
    }

    @Test
    void everyAlarmNotifiesTheTopicOnAlarmAndRecovery() {
        Map<String, Map<String, Object>> alarms = dev.findResources("AWS::CloudWatch::Alarm");
        assertThat(alarms).hasSize(8);
        dev.allResourcesProperties("AWS::CloudWatch::Alarm", map(
                "AlarmActions", Collections.singletonList(topic),
                "OKActions", Collections.singletonList(topic),
                "TreatMissingData", "notBreaching"));
        dev.hasResourceProperties("AWS::SNS::Topic", Collections.singletonMap("DisplayName", "pt-dev translation alarms"));
    }

    @Test
    void anyGemini429Alarms() {
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", map(
                "Namespace", "AWS/KinesisAnalytics",
                "MetricName", MetricNames.GEMINI_429,
                "Dimensions", application,
                "Statistic", "Sum",
                "Period", 60,
                "Threshold", 0,
                "ComparisonOperator", "GreaterThanThreshold",
                "EvaluationPeriods", 1));
    }

    @Test
    void moreThanFivePercentIncompleteDocumentsAlarms() {
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", map(
                "Threshold", 5,
                "ComparisonOperator", "GreaterThanThreshold",
                "Metrics", Match.arrayWith(Arrays.asList(
                        Match.objectLike(Collections.singletonMap("Expression",
                                "IF((done + incomplete + failed) > 0,"
                                        + " 100 * (incomplete + failed) / (done + incomplete + failed), 0)")),
                        Match.objectLike(map("Id", "done", "MetricStat", Match.objectLike(Collections.singletonMap(
                                "Metric", map("Namespace", "AWS/KinesisAnalytics",
                                        "MetricName", MetricNames.DOCUMENTS_COMPLETED,
                                        "Dimensions", application))))),
                        Match.objectLike(map("Id", "incomplete", "MetricStat", Match.objectLike(Collections.singletonMap(
                                "Metric", map("Namespace", "AWS/KinesisAnalytics",
                                        "MetricName", MetricNames.DOCUMENTS_INCOMPLETE,
                                        "Dimensions", application))))),
                        Match.objectLike(map("Id", "failed", "MetricStat", Match.objectLike(Collections.singletonMap(
                                "Metric", map("Namespace", "AWS/KinesisAnalytics",
                                        "MetricName", MetricNames.DOCUMENTS_FAILED,
                                        "Dimensions", application)))))))));
    }

    @Test
    void limiterFallbackAlarms() {
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", map(
                "MetricName", MetricNames.LIMITER_FALLBACK_ACTIVE,
                "Dimensions", application,
                "Statistic", "Maximum",
                "Threshold", 1,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold"));
    }

    @Test
    void inputLagAlarmsOnTheStreamsIteratorAgeWithAThresholdPerEnvironment() {
        // GetRecords.IteratorAgeMilliseconds exists for every stream that is read; the alarm must not
        // read a metric the job's source never registers.
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", map(
                "Namespace", "AWS/Kinesis", "MetricName", "GetRecords.IteratorAgeMilliseconds",
                "Dimensions", Collections.singletonList(map("Name", "StreamName", "Value", "pt-dev-chunks")),
                "Statistic", "Maximum", "Period", 60, "Threshold", 900_000,
                "ComparisonOperator", "GreaterThanThreshold", "EvaluationPeriods", 5, "DatapointsToAlarm", 5));
        prod.hasResourceProperties("AWS::CloudWatch::Alarm", map(
                "Namespace", "AWS/Kinesis", "MetricName", "GetRecords.IteratorAgeMilliseconds",
                "Dimensions", Collections.singletonList(map("Name", "StreamName", "Value", "pt-prod-chunks")),
                "Threshold", 300_000));
        Collection<Map<String, Object>> lagAlarms = dev.findResources("AWS::CloudWatch::Alarm").values().stream()
                .filter(a -> Templates.render(a.get("Properties")).contains(ManagedFlinkMetrics.MILLIS_BEHIND_LATEST))
                .collect(java.util.stream.Collectors.toList());
        assertThat(lagAlarms).isEmpty();
    }

    @Test
    void restartsAndDowntimeAlarm() {
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", map(
                "Threshold", 0,
                "Metrics", Match.arrayWith(Arrays.asList(
                        Match.objectLike(Collections.singletonMap("Expression", "DIFF(restarts)")),
                        Match.objectLike(map("Id", "restarts", "MetricStat", Match.objectLike(Collections.singletonMap(
                                "Metric", Match.objectLike(Collections.singletonMap(
                                        "MetricName", ManagedFlinkMetrics.FULL_RESTARTS))))))))));
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", map(
                "MetricName", ManagedFlinkMetrics.DOWNTIME, "Dimensions", application, "Threshold", 0,
                "ComparisonOperator", "GreaterThanThreshold"));
    }

    @Test
    void slowAndFailedCheckpointsAlarm() {
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", map(
                "MetricName", ManagedFlinkMetrics.LAST_CHECKPOINT_DURATION, "Dimensions", application,
                "Statistic", "Maximum", "Threshold", 300_000, "EvaluationPeriods", 3,
                "ComparisonOperator", "GreaterThanThreshold"));
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", map(
                "Threshold", 0,
                "Metrics", Match.arrayWith(Arrays.asList(
                        Match.objectLike(Collections.singletonMap("Expression", "DIFF(failed)")),
                        Match.objectLike(map("Id", "failed", "MetricStat", Match.objectLike(Collections.singletonMap(
                                "Metric", Match.objectLike(Collections.singletonMap(
                                        "MetricName", ManagedFlinkMetrics.FAILED_CHECKPOINTS))))))))));
    }

    @Test
    void dashboardShowsThroughputConcurrencyQuotaLatencyTokensAndDocuments() {
        Map<String, Object> dashboard = Templates.onlyResource(dev, "AWS::CloudWatch::Dashboard");
        assertThat(dashboard.get("DashboardName")).isEqualTo("pt-dev-translation");
        String body = Templates.render(dashboard.get("DashboardBody"));
        List<String> shown = Arrays.asList(MetricNames.CHUNKS_TRANSLATED, MetricNames.REQUESTS_IN_FLIGHT,
                MetricNames.QUOTA_WAIT_MILLIS_P50, MetricNames.QUOTA_WAIT_MILLIS_P95,
                MetricNames.GEMINI_LATENCY_MILLIS_P50, MetricNames.GEMINI_LATENCY_MILLIS_P95, MetricNames.INPUT_TOKENS,
                MetricNames.OUTPUT_TOKENS, MetricNames.DOCUMENTS_COMPLETED, MetricNames.DOCUMENTS_INCOMPLETE,
                MetricNames.DOCUMENTS_FAILED,
                MetricNames.GEMINI_429, MetricNames.RETRIES, MetricNames.LIMITER_FALLBACK_ACTIVE,
                ManagedFlinkMetrics.MILLIS_BEHIND_LATEST, Monitoring.ITERATOR_AGE, ManagedFlinkMetrics.FULL_RESTARTS,
                ManagedFlinkMetrics.DOWNTIME,
                MetricNames.LIMITER_STORE_CALLS, MetricNames.LIMITER_CONDITIONAL_FAILURES, MetricNames.LIMITER_GRANTED,
                MetricNames.LIMITER_DENIED, MetricNames.LIMITER_OVER_DEBIT_TOKENS, MetricNames.LIMITER_FALLBACK_ENTERED,
                MetricNames.LIMITER_THROTTLED, MetricNames.LIMITER_LOST_RESPONSES_RECOVERED, MetricNames.LIMITER_LEASED,
                MetricNames.LIMITER_LIMIT_CUTS,
                MetricNames.GEMINI_CALLS_SAVED, MetricNames.CACHE_MISSES, MetricNames.CACHE_ERRORS,
                MetricNames.CACHE_WRITES_SKIPPED,
                ManagedFlinkMetrics.LAST_CHECKPOINT_DURATION, ManagedFlinkMetrics.FAILED_CHECKPOINTS,
                MetricNames.BACKLOG_CHUNKS, MetricNames.REQUESTS_LEFT_TODAY, MetricNames.DOCUMENTS_REOPENED);
        assertThat(shown).allSatisfy(name -> assertThat(body).contains("\"" + name + "\""));
        // Histograms never reach CloudWatch: the widgets read their percentile gauges.
        assertThat(body).doesNotContain("\"" + MetricNames.QUOTA_WAIT_MILLIS + "\"",
                "\"" + MetricNames.GEMINI_LATENCY_MILLIS + "\"");
        // The meter is a per-subtask rate: the job's rate is its mean times dev's parallelism (2).
        assertThat(body).contains("rate * 2", "\"AWS/KinesisAnalytics\"");
    }

    @Test
    void dashboardShowsTheRunningEstimatedCostAndWhatTheAutoStopReads() {
        String body = Templates.render(Templates.onlyResource(dev, "AWS::CloudWatch::Dashboard").get("DashboardBody"));
        assertThat(body).contains("\"" + MetricNames.ESTIMATED_COST_MICRO_USD + "\"", "RUNNING_SUM(cost) / 1000000",
                "\"singleValue\"", "\"setPeriodToTimeRange\":true", "\"IncomingRecords\"", "\"pt-dev-chunks\"",
                "\"" + MetricNames.CHUNKS_IN_FLIGHT + "\"");
    }

    @Test
    void alarmsOnlyReadTheApplicationsMetrics() {
        Collection<Map<String, Object>> alarms = dev.findResources("AWS::CloudWatch::Alarm").values();
        for (Map<String, Object> alarm : alarms) {
            String text = Templates.render(alarm.get("Properties"));
            if (text.contains("Namespace=AWS/Kinesis,")) {
                // The input-lag alarm reads the application's own stream, by name.
                assertThat(text).contains("MetricName=GetRecords.IteratorAgeMilliseconds", "Value=pt-dev-chunks");
            } else {
                assertThat(text).contains("Namespace=AWS/KinesisAnalytics").contains("Name=Application");
            }
        }
    }
}
