package io.paralleltranslation.operators.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.cache.CacheKey;
import io.paralleltranslation.cache.CachedTranslation;
import io.paralleltranslation.cache.InMemoryTranslationCache;
import io.paralleltranslation.cache.TranslationCache;
import io.paralleltranslation.operators.gemini.GeminiClientSettings;
import io.paralleltranslation.operators.gemini.TranslationOutcome;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkStatus;
import io.paralleltranslation.operators.records.TranslatedChunk;
import io.paralleltranslation.operators.testing.Chunks;
import io.paralleltranslation.operators.translate.TranslateChunkFunctionTest.CapturedResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.streaming.util.MockStreamingRuntimeContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The translate function with a translation cache: what a hit, a miss and a broken cache do. */
@Timeout(60)
class TranslateChunkCacheTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final TranslateSettings FAST = new TranslateSettings(Duration.ofMillis(1), Duration.ofMillis(5), 4, 3);
    private static final CacheKeys KEYS = CacheKeys.of(GeminiClientSettings.builder().build());

    private final FakeTranslationClient client = new FakeTranslationClient();
    private final FakeQuotaLimiter limiter = new FakeQuotaLimiter();
    private static TranslationCache shared;
    private TranslateChunkFunction function;

    private void open(TranslationCacheFactory cache) throws Exception {
        function = new TranslateChunkFunction(() -> client, () -> limiter, FAST, CLOCK).withCache(cache, KEYS);
        function.setRuntimeContext(new MockStreamingRuntimeContext(false, 1, 0));
        function.open(DefaultOpenContext.INSTANCE);
    }

    /** A factory handing out {@code cache} (a static, since factories are serializable lambdas). */
    private static TranslationCacheFactory factoryOf(TranslationCache cache) {
        shared = cache;
        return () -> shared;
    }

    @AfterEach
    void close() {
        if (function != null) {
            function.close();
        }
    }

    private TranslatedChunk translate(ChunkRecord chunk) throws Exception {
        CapturedResult captured = new CapturedResult();
        function.asyncInvoke(chunk, captured);
        return captured.get();
    }

    @Test
    void aHitTakesNoQuotaAndMakesNoCall() throws Exception {
        open(factoryOf(new InMemoryTranslationCache(Duration.ofDays(1), CLOCK)));
        TranslatedChunk paid = translate(Chunks.chunk("first", 1, 3));
        // The same text and context submitted again under another job.
        TranslatedChunk cached = translate(Chunks.chunk("second", 1, 3));

        assertThat(paid.fromCache).isFalse();
        assertThat(paid.geminiCalls).isEqualTo(1);
        assertThat(cached.status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(cached.fromCache).isTrue();
        assertThat(cached.translatedText).isEqualTo(paid.translatedText);
        assertThat(cached.jobId).isEqualTo("second");
        assertThat(cached.geminiCalls).isZero();
        assertThat(cached.inputTokens).isZero();
        assertThat(client.requests).hasSize(1);
        assertThat(limiter.acquired).hasSize(1);
    }

    @Test
    void anythingThatDecidesTheAnswerMissesTheCache() throws Exception {
        open(factoryOf(new InMemoryTranslationCache(Duration.ofDays(1), CLOCK)));
        translate(Chunks.chunk("a", 1, 3));
        ChunkRecord otherModel = Chunks.chunk("b", 1, 3);
        otherModel.model = "gemini-2.5-pro";
        ChunkRecord otherContext = Chunks.chunk("c", 1, 3);
        otherContext.previousContext = "Something else.";
        ChunkRecord otherLanguage = Chunks.chunk("d", 1, 3);
        otherLanguage.targetLanguage = "fr";

        for (ChunkRecord chunk : new ChunkRecord[] {otherModel, otherContext, otherLanguage}) {
            assertThat(translate(chunk).fromCache).isFalse();
        }
        assertThat(client.requests).hasSize(4);
    }

    @Test
    void theResultDoesNotWaitForTheCacheWriteButClosingDoes() throws Exception {
        CompletableFuture<TranslationCache.PutResult> put = new CompletableFuture<>();
        InMemoryTranslationCache memory = new InMemoryTranslationCache(Duration.ofDays(1), CLOCK);
        open(factoryOf(new TranslationCache() {
            @Override
            public CompletableFuture<Optional<CachedTranslation>> get(CacheKey key) {
                return memory.get(key);
            }

            @Override
            public CompletableFuture<PutResult> put(CacheKey key, CachedTranslation translation) {
                return memory.put(key, translation).thenCompose(stored -> put);
            }
        }));
        assertThat(translate(Chunks.chunk("job", 0, 1)).status).as("a result while the cache write is unanswered")
                .isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(memory.get(KEYS.keyOf(requestOf(Chunks.chunk("job", 0, 1)))).get()).isPresent()
                .get().satisfies(c -> {
                    assertThat(c.text()).isEqualTo("[de] Text of chunk 0.");
                    assertThat(c.inputTokens()).isEqualTo(100);
                    assertThat(c.outputTokens()).isEqualTo(120);
                    assertThat(c.finishReason()).isEqualTo("STOP");
                    assertThat(c.translatedAt()).isEqualTo(NOW);
                });

        // A restart closes the operator before anything is replayed: the close waits for the write.
        CompletableFuture<Void> closed = CompletableFuture.runAsync(function::close);
        Thread.sleep(100);
        assertThat(closed).as("closing while a cache write is unanswered").isNotDone();
        put.complete(TranslationCache.PutResult.STORED);
        closed.get(10, TimeUnit.SECONDS);
        function = null;
    }

    @Test
    void anAnswerArrivingWhileTheOperatorClosesIsStillCachedForTheReplay() throws Exception {
        InMemoryTranslationCache memory = new InMemoryTranslationCache(Duration.ofDays(1), CLOCK);
        open(factoryOf(memory));
        CompletableFuture<TranslationOutcome> answer = new CompletableFuture<>();
        client.then(answer);
        ChunkRecord chunk = Chunks.chunk("job", 0, 1);
        function.asyncInvoke(chunk, new CapturedResult());
        while (client.requests.isEmpty()) {
            Thread.sleep(5);
        }
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer.complete(TranslationOutcome.success("[de] late", 10, 12, "STOP"));
        });

        function.close();
        function = null;

        assertThat(memory.get(KEYS.keyOf(requestOf(chunk))).get()).map(CachedTranslation::text)
                .contains("[de] late");
    }

    @Test
    void aBrokenCacheNeverFailsAChunk() throws Exception {
        open(factoryOf(new TranslationCache() {
            @Override
            public CompletableFuture<Optional<CachedTranslation>> get(CacheKey key) {
                return CompletableFuture.failedFuture(new IllegalStateException("table unreachable"));
            }

            @Override
            public CompletableFuture<PutResult> put(CacheKey key, CachedTranslation translation) {
                throw new IllegalStateException("client closed");
            }
        }));
        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));
        assertThat(result.status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(result.fromCache).isFalse();
        assertThat(client.requests).hasSize(1);
    }

    @Test
    void aCacheThatCannotBeOpenedLeavesTheFunctionWorking() throws Exception {
        open(() -> {
            throw new IllegalStateException("no table");
        });
        assertThat(translate(Chunks.chunk("job", 0, 1)).status).isEqualTo(ChunkStatus.SUCCEEDED);
    }

    @Test
    void aFailedChunkIsNotCachedSoARerunCallsTheModelAgain() throws Exception {
        open(factoryOf(new InMemoryTranslationCache(Duration.ofDays(1), CLOCK)));
        client.then(TranslationOutcome.permanent(200, "SAFETY", 10, "generation stopped: SAFETY"));
        assertThat(translate(Chunks.chunk("job", 0, 1)).status).isEqualTo(ChunkStatus.FAILED);
        TranslatedChunk rerun = translate(Chunks.chunk("rerun", 0, 1));
        assertThat(rerun.status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(rerun.fromCache).isFalse();
        assertThat(client.requests).hasSize(2);
    }

    @Test
    void withoutACacheEveryChunkIsCalled() throws Exception {
        open(null);
        translate(Chunks.chunk("a", 0, 1));
        translate(Chunks.chunk("b", 0, 1));
        assertThat(client.requests).hasSize(2);
    }

    private static io.paralleltranslation.operators.gemini.TranslationRequest requestOf(ChunkRecord chunk) {
        return new io.paralleltranslation.operators.gemini.TranslationRequest(chunk.model, chunk.text,
                chunk.previousContext, chunk.sourceLanguage, chunk.targetLanguage, chunk.glossary);
    }
}
