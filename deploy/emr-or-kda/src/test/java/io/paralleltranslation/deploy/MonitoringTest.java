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
    void iteratorAgeThresholdIsPerEnvironment() {
        dev.hasResourceProperties("AWS::CloudWatch::Alarm", map(
                "MetricName", ManagedFlinkMetrics.MILLIS_BEHIND_LATEST, "Statistic", "Maximum", "Threshold", 900_000,
                "EvaluationPeriods", 5, "DatapointsToAlarm", 5));
        prod.hasResourceProperties("AWS::CloudWatch::Alarm", map(
                "MetricName", ManagedFlinkMetrics.MILLIS_BEHIND_LATEST, "Threshold", 300_000));
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
                ManagedFlinkMetrics.MILLIS_BEHIND_LATEST, ManagedFlinkMetrics.FULL_RESTARTS, ManagedFlinkMetrics.DOWNTIME,
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
    void alarmsOnlyReadTheApplicationsMetrics() {
        Collection<Map<String, Object>> alarms = dev.findResources("AWS::CloudWatch::Alarm").values();
        for (Map<String, Object> alarm : alarms) {
            String text = Templates.render(alarm.get("Properties"));
            assertThat(text).contains("Namespace=AWS/KinesisAnalytics").contains("Name=Application")
                    .doesNotContain("Namespace=AWS/Kinesis,");
        }
    }
}
