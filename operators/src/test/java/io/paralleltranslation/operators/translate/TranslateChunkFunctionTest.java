package io.paralleltranslation.operators.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.operators.gemini.TranslationOutcome;
import io.paralleltranslation.operators.gemini.TranslationOutcome.QuotaKind;
import io.paralleltranslation.operators.gemini.TranslationRequest;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkStatus;
import io.paralleltranslation.operators.records.TranslatedChunk;
import io.paralleltranslation.operators.testing.Chunks;
import io.paralleltranslation.ratelimit.Acquisition;
import io.paralleltranslation.ratelimit.Grant;
import io.paralleltranslation.ratelimit.QuotaDimension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.util.MockStreamingRuntimeContext;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TranslateChunkFunctionTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Millisecond delays keep retries fast; the logic does not depend on their size. */
    private static final TranslateSettings FAST = new TranslateSettings(Duration.ofMillis(1), Duration.ofMillis(5), 4, 3);

    private final FakeTranslationClient client = new FakeTranslationClient();
    private FakeQuotaLimiter limiter = new FakeQuotaLimiter();
    private TranslateChunkFunction function;

    /** Captures the one completion the function must make. */
    static final class CapturedResult implements ResultFuture<TranslatedChunk> {
        final CompletableFuture<TranslatedChunk> result = new CompletableFuture<>();
        final AtomicInteger completions = new AtomicInteger();

        @Override
        public void complete(Collection<TranslatedChunk> results) {
            completions.incrementAndGet();
            assertThat(results).hasSize(1);
            result.complete(results.iterator().next());
        }

        @Override
        public void completeExceptionally(Throwable error) {
            completions.incrementAndGet();
            result.completeExceptionally(error);
        }

        TranslatedChunk get() throws Exception {
            return result.get(30, TimeUnit.SECONDS);
        }
    }

    private TranslateChunkFunction open(TranslateSettings settings) throws Exception {
        function = new TranslateChunkFunction(() -> client, () -> limiter, settings, CLOCK);
        function.setRuntimeContext(new MockStreamingRuntimeContext(false, 1, 0));
        function.open(DefaultOpenContext.INSTANCE);
        return function;
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
        TranslatedChunk result = captured.get();
        assertThat(captured.completions).hasValue(1);
        return result;
    }

    @Test
    void theClientIsWarmedUpInOpenBeforeAnyGrant() throws Exception {
        open(FAST);
        assertThat(client.warmUps).hasValue(1);
        assertThat(limiter.acquired).isEmpty();
    }

    /**
     * A grant that would reach the model later than the margin allows is not sent: its tokens go
     * back and the chunk takes quota again.
     */
    @Test
    void aGrantTooOldToArriveWithinTheMarginIsPlannedAgain() throws Exception {
        open(FAST);
        limiter.then(Acquisition.granted(new Grant(NOW.minusSeconds(2), FakeTranslationClient.ESTIMATE)));
        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));
        assertThat(result.status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(result.geminiCalls).isEqualTo(1);
        assertThat(limiter.acquired).hasSize(2);
        assertThat(limiter.reconciled).contains(FakeTranslationClient.ESTIMATE + "->0");
        assertThat(function.metrics().grantsNotSent.getCount()).isEqualTo(1);
    }

    /**
     * A grant decided later is decided on the limiter's thread, which decides every grant of the
     * TaskManager: the call (and building its request) happens on a send thread instead.
     */
    @Test
    void aGrantDecidedOnTheLimitersThreadIsSentFromASendThread() throws Exception {
        CompletableFuture<Acquisition> decidedLater = new CompletableFuture<>();
        limiter.thenLater(decidedLater);
        open(FAST);
        CapturedResult captured = new CapturedResult();
        function.asyncInvoke(Chunks.chunk("job", 0, 1), captured);
        Thread limiterThread = new Thread(() -> decidedLater.complete(
                Acquisition.granted(new Grant(NOW, FakeTranslationClient.ESTIMATE))), "fake-limiter");
        limiterThread.start();

        assertThat(captured.get().status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(client.callingThreads).singleElement().asString().startsWith("translate-send-");
        assertThat(function.metrics().grantsNotSent.getCount()).isZero();
    }

    /** A pause recorded after the grant was planned (another chunk's 429) stops it from being sent. */
    @Test
    void aGrantANewerPauseCoversIsNotSent() throws Exception {
        open(FAST);
        limiter.pauseOnce = NOW.plusMillis(20);
        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));
        assertThat(result.status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(client.requests).hasSize(1);
        assertThat(limiter.acquired).hasSize(2);
        assertThat(function.metrics().grantsNotSent.getCount()).isEqualTo(1);
    }

    /**
     * A call sent at 23:59:59.9 in Los Angeles and refused for the day after midnight pauses the
     * quota until THAT midnight (the one after the send), not the next one a day later.
     */
    @Test
    void aPerDayRefusalPausesUntilTheMidnightAfterTheSend() throws Exception {
        Instant beforeMidnight = Instant.parse("2026-12-02T07:59:59.900Z");
        Instant midnight = Instant.parse("2026-12-02T08:00:00Z");
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(
                beforeMidnight);
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        FakeQuotaLimiter fresh = new FakeQuotaLimiter(moving);
        CompletableFuture<TranslationOutcome> answer = new CompletableFuture<>();
        client.then(answer);
        function = new TranslateChunkFunction(() -> client, () -> fresh, FAST, moving);
        function.setRuntimeContext(new MockStreamingRuntimeContext(false, 1, 0));
        function.open(DefaultOpenContext.INSTANCE);
        CapturedResult captured = new CapturedResult();
        function.asyncInvoke(Chunks.chunk("job", 0, 1), captured);
        now.set(midnight.plusMillis(500));
        // As the classifier answers after midnight: until the NEXT midnight, a day away.
        answer.complete(TranslationOutcome.retryAfter(Duration.ofHours(24), QuotaKind.REQUESTS_PER_DAY, 429, "day"));
        assertThat(captured.get().status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(fresh.pushbacks).containsExactly(midnight);
        assertThat(fresh.refusals).as("a per-day refusal pauses only").isEmpty();
    }

    @Test
    void translatesAChunkUnderQuotaAndReconcilesTheGrant() throws Exception {
        open(FAST);
        ChunkRecord chunk = Chunks.chunk("job", 1, 3);
        chunk.model = "gemini-2.5-pro";
        chunk.glossary = Collections.singletonMap("chunk", "Abschnitt");

        TranslatedChunk result = translate(chunk);

        assertThat(result.status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(result.translatedText).isEqualTo("[de] Text of chunk 1.");
        assertThat(result.failureReason).isNull();
        assertThat(result.jobId).isEqualTo("job");
        assertThat(result.chunkIndex).isEqualTo(1);
        assertThat(result.totalChunks).isEqualTo(3);
        assertThat(result.source).isEqualTo("doc-job.md");
        assertThat(result.targetLanguage).isEqualTo("de");
        assertThat(result.geminiCalls).isEqualTo(1);
        assertThat(result.retries).isZero();
        assertThat(result.count429).isZero();
        assertThat(result.inputTokens).isEqualTo(100);
        assertThat(result.outputTokens).isEqualTo(120);
        assertThat(result.firstSeenAt).isEqualTo(NOW.toEpochMilli());

        TranslationRequest request = client.requests.get(0);
        assertThat(request.text()).isEqualTo("Text of chunk 1.");
        assertThat(request.previousContext()).isEqualTo("Text of chunk 0.");
        assertThat(request.sourceLanguage()).isEqualTo("en");
        assertThat(request.targetLanguage()).isEqualTo("de");
        assertThat(request.model()).isEqualTo("gemini-2.5-pro");
        assertThat(request.glossary()).containsEntry("chunk", "Abschnitt");
        assertThat(limiter.acquired).containsExactly(FakeTranslationClient.ESTIMATE);
        assertThat(limiter.reconciled).containsExactly("1000->100");

        TranslationMetrics metrics = function.metrics();
        assertThat(metrics.chunksTranslated.getCount()).isEqualTo(1);
        assertThat(metrics.inputTokens.getCount()).isEqualTo(100);
        assertThat(metrics.outputTokens.getCount()).isEqualTo(120);
        assertThat(metrics.quotaWaitMillis.getCount()).isEqualTo(1);
        assertThat(metrics.geminiLatencyMillis.getCount()).isEqualTo(1);
    }

    @Test
    void waitsForQuotaUntilTheLimitersRetryAtWithoutCountingARetry() throws Exception {
        limiter.then(Acquisition.denied(NOW.plusMillis(20), QuotaDimension.REQUESTS_PER_MINUTE))
                .then(Acquisition.denied(NOW.plusMillis(5), QuotaDimension.PAUSED));
        open(FAST);

        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));

        assertThat(result.status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(limiter.acquired).hasSize(3);
        assertThat(client.requests).hasSize(1);
        assertThat(result.geminiCalls).isEqualTo(1);
        assertThat(result.retries).isZero();
        assertThat(function.metrics().quotaWaitMillis.getCount()).isEqualTo(1);
    }

    @Test
    void a429PausesTheWholeQuotaForTheServersDelayAndRetriesWithFreshQuota() throws Exception {
        client.then(TranslationOutcome.retryAfter(Duration.ofMillis(30), QuotaKind.REQUESTS_PER_MINUTE, 429,
                "Resource exhausted"));
        open(FAST);

        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));

        assertThat(result.status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(limiter.pushbacks).containsExactly(NOW.plusMillis(30));
        assertThat(limiter.refusals).as("a per-minute 429 of a granted call lowers the limits")
                .containsExactly(NOW.plusMillis(30));
        assertThat(limiter.acquired).hasSize(2);
        assertThat(result.geminiCalls).isEqualTo(2);
        assertThat(result.retries).isEqualTo(1);
        assertThat(result.count429).isEqualTo(1);
        assertThat(function.metrics().count429.getCount()).isEqualTo(1);
        assertThat(function.metrics().retries.getCount()).isEqualTo(1);
    }

    @Test
    void backsOffOnTransientFailuresThenSucceeds() throws Exception {
        client.then(TranslationOutcome.retryBackoff(503, "The model is overloaded."))
                .then(TranslationOutcome.retryBackoff(0, "connection reset"));
        open(FAST);

        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));

        assertThat(result.status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(result.geminiCalls).isEqualTo(3);
        assertThat(result.retries).isEqualTo(2);
        assertThat(result.count429).isZero();
        assertThat(limiter.acquired).hasSize(3);
        assertThat(limiter.pushbacks).isEmpty();
    }

    @Test
    void aPermanentFailureFailsTheChunkAtOnceWithTheReason() throws Exception {
        client.then(TranslationOutcome.permanent(200, "SAFETY", 80, "the model refused the content"));
        open(FAST);

        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));

        assertThat(result.status).isEqualTo(ChunkStatus.FAILED);
        assertThat(result.translatedText).isNull();
        assertThat(result.failureReason)
                .isEqualTo("PERMANENT (HTTP 200) finishReason=SAFETY: the model refused the content");
        assertThat(result.geminiCalls).isEqualTo(1);
        assertThat(result.retries).isZero();
        assertThat(result.inputTokens).isEqualTo(80);
        assertThat(limiter.reconciled).containsExactly("1000->80");
        assertThat(function.metrics().chunksFailed.getCount()).isEqualTo(1);
        assertThat(function.metrics().chunksTranslated.getCount()).isZero();
    }

    @Test
    void givesUpAfterMaxAttemptsOfTransientFailures() throws Exception {
        for (int i = 0; i < 10; i++) {
            client.then(TranslationOutcome.retryBackoff(500, "internal"));
        }
        open(FAST);

        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));

        assertThat(result.status).isEqualTo(ChunkStatus.FAILED);
        assertThat(result.failureReason).isEqualTo("gave up after 4 attempts, last: RETRY_BACKOFF (HTTP 500): internal");
        assertThat(result.geminiCalls).isEqualTo(4);
        assertThat(result.retries).isEqualTo(3);
    }

    @Test
    void givesUpAfterTooMany429s() throws Exception {
        for (int i = 0; i < 10; i++) {
            client.then(TranslationOutcome.retryAfter(Duration.ofMillis(1), QuotaKind.REQUESTS_PER_DAY, 429, "daily"));
        }
        open(FAST);

        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));

        assertThat(result.status).isEqualTo(ChunkStatus.FAILED);
        assertThat(result.failureReason).startsWith("refused for quota 4 times, last: RETRY_AFTER (HTTP 429)");
        assertThat(result.geminiCalls).isEqualTo(4);
        assertThat(result.count429).isEqualTo(4);
        assertThat(limiter.pushbacks).hasSize(3);
    }

    @Test
    void aRequestThatCanNeverFitTheQuotaFailsWithoutACall() throws Exception {
        limiter.then(Acquisition.neverGrantable(QuotaDimension.INPUT_TOKENS_PER_MINUTE));
        open(FAST);

        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));

        assertThat(result.status).isEqualTo(ChunkStatus.FAILED);
        assertThat(result.failureReason)
                .isEqualTo("the request (about 1000 input tokens) can never fit the quota: INPUT_TOKENS_PER_MINUTE");
        assertThat(client.requests).isEmpty();
        assertThat(result.geminiCalls).isZero();
    }

    @Test
    void aFailingLimiterOrClientFutureIsRetriedAsTransient() throws Exception {
        limiter.thenFail(new IllegalStateException("store unreachable"));
        CompletableFuture<TranslationOutcome> broken = new CompletableFuture<>();
        broken.completeExceptionally(new java.util.concurrent.CompletionException(new java.io.IOException("reset")));
        client.then(broken);
        open(FAST);

        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));

        assertThat(result.status).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(result.retries).isEqualTo(2);
        assertThat(result.geminiCalls).isEqualTo(2);
    }

    /**
     * Real time: the chunk timeout's watchdog runs on the retry timer. Parked 600 ms for the daily
     * quota under a 300 ms chunk timeout, the chunk still succeeds: parked time is not active work.
     */
    @Test
    void aChunkParkedForTheDailyQuotaSpendsNoRetryAndItsParkedTimeIsNotActiveWork() throws Exception {
        // Fresh grants on the real clock: an old one would be planned again, not sent.
        limiter = new FakeQuotaLimiter(Clock.systemUTC());
        limiter.then(Acquisition.denied(Instant.now().plusMillis(600), QuotaDimension.REQUESTS_PER_DAY));
        function = new TranslateChunkFunction(() -> client, () -> limiter,
                FAST.withChunkTimeout(Duration.ofMillis(300)), Clock.systemUTC());
        function.setRuntimeContext(new MockStreamingRuntimeContext(false, 1, 0));
        function.open(DefaultOpenContext.INSTANCE);

        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));

        assertThat(result.status).as(result.failureReason).isEqualTo(ChunkStatus.SUCCEEDED);
        assertThat(result.retries).isZero();
        assertThat(result.geminiCalls).isEqualTo(1);
        assertThat(limiter.acquired).hasSize(2);
    }

    /** The same wait for the per-minute quota is active work: the chunk timeout ends it. */
    @Test
    void theChunkTimeoutEndsActiveWorkThatTakesLonger() throws Exception {
        limiter.then(Acquisition.denied(Instant.now().plusMillis(5_000), QuotaDimension.REQUESTS_PER_MINUTE));
        function = new TranslateChunkFunction(() -> client, () -> limiter,
                FAST.withChunkTimeout(Duration.ofMillis(300)), Clock.systemUTC());
        function.setRuntimeContext(new MockStreamingRuntimeContext(false, 1, 0));
        function.open(DefaultOpenContext.INSTANCE);

        TranslatedChunk result = translate(Chunks.chunk("job", 0, 1));

        assertThat(result.status).isEqualTo(ChunkStatus.FAILED);
        assertThat(result.failureReason).startsWith("no result within translate.chunk-timeout (PT0.3S) of active work");
        assertThat(client.requests).isEmpty();
    }

    @Test
    void theOperatorTimeoutFailsTheChunkOnceAndStopsItsRetries() throws Exception {
        CompletableFuture<TranslationOutcome> late = new CompletableFuture<>();
        client.then(late);
        open(FAST);
        ChunkRecord chunk = Chunks.chunk("job", 0, 1);
        CapturedResult captured = new CapturedResult();
        function.asyncInvoke(chunk, captured);
        assertThat(gauge("requestsInFlight")).isEqualTo(1);
        assertThat(gauge("chunksInFlight")).isEqualTo(1);

        function.timeout(chunk, captured);
        TranslatedChunk result = captured.get();
        assertThat(result.status).isEqualTo(ChunkStatus.FAILED);
        assertThat(result.failureReason).isEqualTo("no result within the operator timeout (1 model calls, 0 retries)");
        assertThat(gauge("chunksInFlight")).isZero();

        late.complete(TranslationOutcome.retryBackoff(503, "overloaded"));
        assertThat(gauge("requestsInFlight")).isZero();
        assertThat(captured.completions).hasValue(1);
        assertThat(limiter.acquired).hasSize(1);
    }

    @Test
    void aTimeoutForAnUnknownElementStillCompletesWithAFailure() throws Exception {
        open(FAST);
        CapturedResult captured = new CapturedResult();
        function.timeout(Chunks.chunk("job", 4, 5), captured);
        assertThat(captured.get().status).isEqualTo(ChunkStatus.FAILED);
        assertThat(captured.get().chunkIndex).isEqualTo(4);
    }

    @Test
    void closeReleasesClientLimiterAndPendingRetries() throws Exception {
        limiter.then(Acquisition.denied(NOW.plusMillis(50), QuotaDimension.REQUESTS_PER_DAY));
        open(FAST);
        CapturedResult captured = new CapturedResult();
        function.asyncInvoke(Chunks.chunk("job", 0, 1), captured);

        function.close();
        function = null;

        assertThat(client.closed).isTrue();
        assertThat(limiter.closed).isTrue();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> captured.result.get(200, TimeUnit.MILLISECONDS))).isInstanceOf(TimeoutException.class);
        assertThat(limiter.acquired).hasSize(1);
        assertThat(client.requests).isEmpty();
    }

    @Test
    void reportsTheLimitersFallbackAsAGauge() throws Exception {
        open(FAST);
        assertThat(gauge("limiterFallbackActive")).isZero();
        limiter.fallback = true;
        assertThat(gauge("limiterFallbackActive")).isEqualTo(1);
    }

    @Test
    void isSerializableWithSerializableFactories() throws Exception {
        TranslateChunkFunction original = new TranslateChunkFunction(FakeTranslationClient::new,
                () -> new FakeQuotaLimiter(Clock.systemUTC()), TranslateSettings.defaults());
        TranslateChunkFunction copy = InstantiationUtil.clone(original);
        copy.setRuntimeContext(new MockStreamingRuntimeContext(false, 1, 0));
        copy.open(DefaultOpenContext.INSTANCE);
        try {
            CapturedResult captured = new CapturedResult();
            copy.asyncInvoke(Chunks.chunk("job", 0, 1), captured);
            assertThat(captured.get().status).isEqualTo(ChunkStatus.SUCCEEDED);
        } finally {
            copy.close();
        }
    }

    private int gauge(String name) {
        TranslationMetrics metrics = function.metrics();
        switch (name) {
            case "requestsInFlight":
                return metrics.requestsInFlight.getValue();
            case "chunksInFlight":
                return metrics.chunksInFlight.getValue();
            default:
                return metrics.limiterFallbackActive.getValue();
        }
    }
}
