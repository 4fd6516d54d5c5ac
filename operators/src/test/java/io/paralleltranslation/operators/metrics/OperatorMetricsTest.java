package io.paralleltranslation.operators.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {

    /** Records every metric registered in it or its child groups under its dotted path. */
    private static final class RecordingGroup extends UnregisteredMetricGroups.UnregisteredOperatorMetricGroup {
        final Map<String, Metric> registered;
        private final String prefix;

        RecordingGroup() {
            this(new HashMap<>(), "");
        }

        private RecordingGroup(Map<String, Metric> registered, String prefix) {
            this.registered = registered;
            this.prefix = prefix;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(registered, prefix + name + ".");
        }

        @Override
        protected void addMetric(String name, Metric metric) {
            // Null while the super constructor registers Flink's own operator metrics: not ours.
            if (registered != null) {
                registered.put(prefix + name, metric);
            }
        }
    }

    @Test
    void registersUnderTheGroupManagedFlinkExports() {
        RecordingGroup operator = new RecordingGroup();

        OperatorMetrics.group(operator).counter(MetricNames.GEMINI_429);

        assertThat(operator.registered).containsOnlyKeys("kinesisanalytics." + MetricNames.GEMINI_429);
    }

    @Test
    @SuppressWarnings("unchecked")
    void histogramsComeWithPercentileGaugesCloudWatchCanTake() {
        RecordingGroup operator = new RecordingGroup();
        MetricGroup group = OperatorMetrics.group(operator);

        Histogram wait = OperatorMetrics.histogramWithPercentiles(group, MetricNames.QUOTA_WAIT_MILLIS);
        Gauge<Double> p50 = (Gauge<Double>) operator.registered.get("kinesisanalytics." + MetricNames.QUOTA_WAIT_MILLIS_P50);
        Gauge<Double> p95 = (Gauge<Double>) operator.registered.get("kinesisanalytics." + MetricNames.QUOTA_WAIT_MILLIS_P95);
        assertThat(operator.registered).containsKey("kinesisanalytics." + MetricNames.QUOTA_WAIT_MILLIS);
        assertThat(p50.getValue()).isZero();
        assertThat(p95.getValue()).isZero();

        for (int ms = 1; ms <= 100; ms++) {
            wait.update(ms);
        }

        assertThat(p50.getValue()).isBetween(49.0, 52.0);
        assertThat(p95.getValue()).isBetween(94.0, 97.0);
    }

    @Test
    void percentileGaugeNamesFollowTheirHistogram() {
        assertThat(MetricNames.p50(MetricNames.GEMINI_LATENCY_MILLIS)).isEqualTo(MetricNames.GEMINI_LATENCY_MILLIS_P50);
        assertThat(MetricNames.p95(MetricNames.QUOTA_WAIT_MILLIS)).isEqualTo(MetricNames.QUOTA_WAIT_MILLIS_P95);
    }
}
