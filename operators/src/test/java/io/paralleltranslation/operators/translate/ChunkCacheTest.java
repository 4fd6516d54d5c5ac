package io.paralleltranslation.operators.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.cache.CacheKey;
import io.paralleltranslation.cache.CachedTranslation;
import io.paralleltranslation.cache.InMemoryTranslationCache;
import io.paralleltranslation.cache.TranslationCache;
import io.paralleltranslation.operators.gemini.GeminiClientSettings;
import io.paralleltranslation.operators.gemini.TranslationOutcome;
import io.paralleltranslation.operators.gemini.TranslationRequest;
import io.paralleltranslation.operators.metrics.MetricNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.junit.jupiter.api.Test;

class ChunkCacheTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private static final CacheKeys KEYS = CacheKeys.of(GeminiClientSettings.builder().build());
    private static final TranslationRequest REQUEST = new TranslationRequest(null, "Hallo.", "", "de", "en", null);

    private final InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup() {
        @Override
        public MetricGroup addGroup(String name) {
            return MetricNames.CLOUDWATCH_GROUP.equals(name) ? this : super.addGroup(name);
        }
    };

    private long count(String name) {
        return ((Counter) metrics.get(name)).getCount();
    }

    @Test
    void countsMissesHitsAndCallsSaved() throws Exception {
        ChunkCache cache = ChunkCache.open(() -> new InMemoryTranslationCache(Duration.ofDays(1), CLOCK), KEYS,
                CLOCK, metrics);
        assertThat(cache.lookUp(REQUEST).get()).isEmpty();
        cache.store(REQUEST, TranslationOutcome.success("Hello.", 10, 5, "STOP").withModelVersion("gemini-2.5-flash-001"))
                .get();
        Optional<CachedTranslation> hit = cache.lookUp(REQUEST).get();
        assertThat(hit).isPresent();
        assertThat(hit.get().modelVersion()).isEqualTo("gemini-2.5-flash-001");
        cache.lookUp(REQUEST).get();

        assertThat(count(MetricNames.CACHE_MISSES)).isEqualTo(1);
        assertThat(count(MetricNames.CACHE_HITS)).isEqualTo(2);
        assertThat(count(MetricNames.GEMINI_CALLS_SAVED)).isEqualTo(2);
        assertThat(count(MetricNames.CACHE_ERRORS)).isZero();
    }

    @Test
    void aRequestWithoutAModelIsKeyedByTheDefaultModel() {
        TranslationRequest explicit = new TranslationRequest(GeminiClientSettings.builder().build().defaultModel(),
                "Hallo.", "", "de", "en", null);
        assertThat(KEYS.keyOf(REQUEST)).isEqualTo(KEYS.keyOf(explicit));
        assertThat(CacheKeys.of(GeminiClientSettings.builder().temperature(0.9f).build()).keyOf(REQUEST))
                .as("another temperature, another answer").isNotEqualTo(KEYS.keyOf(REQUEST));
    }

    @Test
    void countsErrorsAndTooLargeWrites() throws Exception {
        ChunkCache cache = ChunkCache.open(() -> new TranslationCache() {
            @Override
            public CompletableFuture<Optional<CachedTranslation>> get(CacheKey key) {
                return CompletableFuture.failedFuture(new IllegalStateException("down"));
            }

            @Override
            public CompletableFuture<PutResult> put(CacheKey key, CachedTranslation translation) {
                return CompletableFuture.completedFuture(PutResult.TOO_LARGE);
            }
        }, KEYS, CLOCK, metrics);
        assertThat(cache.lookUp(REQUEST).get()).isEmpty();
        cache.store(REQUEST, TranslationOutcome.success("Hello.", 10, 5, "STOP")).get();
        assertThat(count(MetricNames.CACHE_ERRORS)).isEqualTo(1);
        assertThat(count(MetricNames.CACHE_WRITES_SKIPPED)).isEqualTo(1);
    }

    @Test
    void aFactoryThatFailsCountsOneErrorAndMissesEverything() throws Exception {
        ChunkCache cache = ChunkCache.open(() -> {
            throw new IllegalStateException("no table");
        }, KEYS, CLOCK, metrics);
        assertThat(cache.lookUp(REQUEST).get()).isEmpty();
        assertThat(count(MetricNames.CACHE_ERRORS)).isEqualTo(1);
        cache.close();
    }
}
