package io.paralleltranslation.operators.translate;

import io.paralleltranslation.operators.metrics.MetricNames;
import io.paralleltranslation.operators.metrics.OperatorMetrics;
import io.paralleltranslation.ratelimit.QuotaLimiter;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * The translate operator's metrics, registered in its Flink metric group (see {@link OperatorMetrics}).
 * A chunk's steps run on the limiter's, the HTTP client's and the retry timer's threads, not the
 * task thread, so the counters and the meter's counter are thread-safe (Flink's default
 * {@code SimpleCounter} loses increments under concurrent updates).
 */
final class TranslationMetrics {
    final Meter chunksTranslated;
    final Counter chunksFailed;
    final Counter count429;
    final Counter retries;
    final Counter grantsNotSent;
    final Counter inputTokens;
    final Counter outputTokens;
    final Histogram quotaWaitMillis;
    final Histogram geminiLatencyMillis;
    final Gauge<Integer> chunksInFlight;
    final Gauge<Integer> requestsInFlight;
    final Gauge<Integer> limiterFallbackActive;

    TranslationMetrics(MetricGroup operatorGroup, IntSupplier chunks, IntSupplier requests, BooleanSupplier limiterInFallback) {
        MetricGroup group = OperatorMetrics.group(operatorGroup);
        chunksTranslated = group.meter(MetricNames.CHUNKS_TRANSLATED,
                new MeterView(new ThreadSafeSimpleCounter(), 60));
        chunksFailed = group.counter(MetricNames.CHUNKS_FAILED, new ThreadSafeSimpleCounter());
        count429 = group.counter(MetricNames.GEMINI_429, new ThreadSafeSimpleCounter());
        retries = group.counter(MetricNames.RETRIES, new ThreadSafeSimpleCounter());
        grantsNotSent = group.counter(MetricNames.GRANTS_NOT_SENT, new ThreadSafeSimpleCounter());
        inputTokens = group.counter(MetricNames.INPUT_TOKENS, new ThreadSafeSimpleCounter());
        outputTokens = group.counter(MetricNames.OUTPUT_TOKENS, new ThreadSafeSimpleCounter());
        quotaWaitMillis = OperatorMetrics.histogramWithPercentiles(group, MetricNames.QUOTA_WAIT_MILLIS);
        geminiLatencyMillis = OperatorMetrics.histogramWithPercentiles(group, MetricNames.GEMINI_LATENCY_MILLIS);
        chunksInFlight = group.gauge(MetricNames.CHUNKS_IN_FLIGHT, (Gauge<Integer>) chunks::getAsInt);
        requestsInFlight = group.gauge(MetricNames.REQUESTS_IN_FLIGHT, (Gauge<Integer>) requests::getAsInt);
        limiterFallbackActive = group.gauge(MetricNames.LIMITER_FALLBACK_ACTIVE,
                (Gauge<Integer>) () -> limiterInFallback.getAsBoolean() ? 1 : 0);
    }

    /**
     * Exports every signal the limiter counts (its {@code LimiterListener}) as gauges in the
     * operator's metric group. Nothing if the limiter keeps no counts.
     */
    static void registerLimiterSignals(MetricGroup operatorGroup, QuotaLimiter limiter) {
        limiter.counters().ifPresent(c -> {
            MetricGroup group = OperatorMetrics.group(operatorGroup);
            group.gauge(MetricNames.LIMITER_STORE_CALLS, (Gauge<Long>) c::storeCalls);
            group.gauge(MetricNames.LIMITER_CONDITIONAL_FAILURES, (Gauge<Long>) c::conditionalFailures);
            group.gauge(MetricNames.LIMITER_GRANTED, (Gauge<Long>) c::granted);
            group.gauge(MetricNames.LIMITER_DENIED, (Gauge<Long>) c::denied);
            group.gauge(MetricNames.LIMITER_OVER_DEBIT_TOKENS, (Gauge<Long>) c::overDebitTokens);
            group.gauge(MetricNames.LIMITER_FALLBACK_ENTERED, (Gauge<Long>) c::fallbackEntered);
            group.gauge(MetricNames.LIMITER_THROTTLED, (Gauge<Long>) c::throttled);
            group.gauge(MetricNames.LIMITER_LOST_RESPONSES_RECOVERED, (Gauge<Long>) c::lostResponsesRecovered);
            group.gauge(MetricNames.LIMITER_LEASED, (Gauge<Long>) c::leased);
            group.gauge(MetricNames.LIMITER_LIMIT_CUTS, (Gauge<Long>) c::limitCuts);
        });
    }
}
