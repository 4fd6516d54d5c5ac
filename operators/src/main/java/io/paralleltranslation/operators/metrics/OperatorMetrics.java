package io.paralleltranslation.operators.metrics;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** Where and how the operators register their metrics (names in {@link MetricNames}). */
public final class OperatorMetrics {

    /** Samples kept per histogram: enough for stable percentiles, small enough per subtask. */
    public static final int HISTOGRAM_WINDOW = 1000;

    private OperatorMetrics() {
    }

    /**
     * The group an operator registers in: its own metric group's {@value MetricNames#CLOUDWATCH_GROUP}
     * child, which Managed Flink exports to CloudWatch (with no extra dimension) and the Flink
     * dashboard shows as {@code kinesisanalytics.NAME}.
     */
    public static MetricGroup group(MetricGroup operatorGroup) {
        return operatorGroup.addGroup(MetricNames.CLOUDWATCH_GROUP);
    }

    /**
     * Registers a histogram over the last {@link #HISTOGRAM_WINDOW} samples and, because CloudWatch
     * does not take histograms, gauges of its median and 95th percentile over the same samples
     * (0 before the first sample).
     */
    public static Histogram histogramWithPercentiles(MetricGroup group, String name) {
        Histogram histogram = group.histogram(name, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        group.gauge(MetricNames.p50(name), (Gauge<Double>) () -> quantile(histogram, 0.5));
        group.gauge(MetricNames.p95(name), (Gauge<Double>) () -> quantile(histogram, 0.95));
        return histogram;
    }

    private static double quantile(Histogram histogram, double quantile) {
        return histogram.getCount() == 0 ? 0.0 : histogram.getStatistics().getQuantile(quantile);
    }
}
