package io.paralleltranslation.operators.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
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
}
