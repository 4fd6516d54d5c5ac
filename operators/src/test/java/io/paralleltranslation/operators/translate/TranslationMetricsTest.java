package io.paralleltranslation.operators.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.paralleltranslation.operators.metrics.MetricNames;
import io.paralleltranslation.ratelimit.InMemoryQuotaStore;
import io.paralleltranslation.ratelimit.QuotaConfig;
import io.paralleltranslation.ratelimit.QuotaLimiter;
import io.paralleltranslation.ratelimit.WindowQuotaLimiter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.junit.jupiter.api.Test;

class TranslationMetricsTest {

    /**
     * A chunk's steps run on the limiter's, the HTTP client's and the retry timer's threads, so
     * every counter and the meter are updated from many threads at once: none may lose a count.
     */
    @Test
    void countersAndTheMeterCountExactlyUnderConcurrentUpdates() throws Exception {
        TranslationMetrics metrics = new TranslationMetrics(new UnregisteredMetricsGroup(), () -> 0, () -> 0,
                () -> false);
        int threads = 4;
        int perThread = 2_000_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        metrics.count429.inc();
                    }
                    for (int i = 0; i < perThread; i++) {
                        metrics.retries.inc();
                    }
                    for (int i = 0; i < perThread; i++) {
                        metrics.chunksFailed.inc();
                    }
                    for (int i = 0; i < perThread; i++) {
                        metrics.inputTokens.inc(2);
                    }
                    for (int i = 0; i < perThread; i++) {
                        metrics.outputTokens.inc(3);
                    }
                    for (int i = 0; i < perThread; i++) {
                        metrics.chunksTranslated.markEvent();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long total = (long) threads * perThread;
        assertThat(metrics.count429.getCount()).isEqualTo(total);
        assertThat(metrics.retries.getCount()).isEqualTo(total);
        assertThat(metrics.chunksFailed.getCount()).isEqualTo(total);
        assertThat(metrics.inputTokens.getCount()).isEqualTo(2 * total);
        assertThat(metrics.outputTokens.getCount()).isEqualTo(3 * total);
        assertThat(metrics.chunksTranslated.getCount()).isEqualTo(total);
    }

    /** Every LimiterListener signal the limiter counts is a gauge of the operator's metric group. */
    @Test
    void theLimitersSignalsAreGaugesOfTheOperator() throws Exception {
        InterceptingOperatorMetricGroup group = new InterceptingOperatorMetricGroup() {
            @Override
            public MetricGroup addGroup(String name) {
                return MetricNames.CLOUDWATCH_GROUP.equals(name) ? this : super.addGroup(name);
            }
        };
        try (QuotaLimiter limiter = WindowQuotaLimiter.builder(new InMemoryQuotaStore(), QuotaConfig.builder(
                "gemini#metrics#m").requestsPerMinute(1).inputTokensPerMinute(100).requestsPerDay(10).build()).build()) {
            TranslationMetrics.registerLimiterSignals(group, limiter);
            assertThat(limiter.acquire(5).get(10, TimeUnit.SECONDS).isGranted()).isTrue();
            assertThat(limiter.acquire(5).get(10, TimeUnit.SECONDS).isGranted()).isFalse();
            assertThat(((Gauge<?>) group.get(MetricNames.LIMITER_GRANTED)).getValue()).isEqualTo(1L);
            assertThat(((Gauge<?>) group.get(MetricNames.LIMITER_DENIED)).getValue()).isEqualTo(1L);
            // The read when it was built, and the write of the grant.
            assertThat(((Gauge<?>) group.get(MetricNames.LIMITER_STORE_CALLS)).getValue()).isEqualTo(2L);
            for (String name : new String[] {MetricNames.LIMITER_LEASED, MetricNames.LIMITER_THROTTLED,
                    MetricNames.LIMITER_LOST_RESPONSES_RECOVERED, MetricNames.LIMITER_FALLBACK_ENTERED,
                    MetricNames.LIMITER_CONDITIONAL_FAILURES, MetricNames.LIMITER_OVER_DEBIT_TOKENS,
                    MetricNames.LIMITER_LIMIT_CUTS}) {
                assertThat(((Gauge<?>) group.get(name)).getValue()).as(name).isEqualTo(0L);
            }
        }
    }
}
