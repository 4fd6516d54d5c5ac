package io.paralleltranslation.operators.translate;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** The translate operator's metrics, registered in its Flink metric group. */
final class TranslationMetrics {
    /** Samples kept per histogram: enough for stable percentiles, small enough per subtask. */
    private static final int HISTOGRAM_WINDOW = 1000;

    final Meter chunksTranslated;
    final Counter chunksFailed;
    final Counter count429;
    final Counter retries;
    final Counter inputTokens;
    final Counter outputTokens;
    final Histogram quotaWaitMillis;
    final Histogram geminiLatencyMillis;
    final Gauge<Integer> chunksInFlight;
    final Gauge<Integer> requestsInFlight;
    final Gauge<Integer> limiterFallbackActive;

    TranslationMetrics(MetricGroup group, IntSupplier chunks, IntSupplier requests, BooleanSupplier limiterInFallback) {
        chunksTranslated = group.meter("chunksTranslated", new MeterView(60));
        chunksFailed = group.counter("chunksFailed");
        count429 = group.counter("gemini429");
        retries = group.counter("retries");
        inputTokens = group.counter("inputTokens");
        outputTokens = group.counter("outputTokens");
        quotaWaitMillis = group.histogram("quotaWaitMillis", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        geminiLatencyMillis = group.histogram("geminiLatencyMillis",
                new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        chunksInFlight = group.gauge("chunksInFlight", (Gauge<Integer>) chunks::getAsInt);
        requestsInFlight = group.gauge("requestsInFlight", (Gauge<Integer>) requests::getAsInt);
        limiterFallbackActive = group.gauge("limiterFallbackActive",
                (Gauge<Integer>) () -> limiterInFallback.getAsBoolean() ? 1 : 0);
    }
}
