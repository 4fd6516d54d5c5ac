package io.paralleltranslation.operators.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.operators.gemini.TranslationOutcome;
import io.paralleltranslation.operators.gemini.TranslationOutcome.QuotaKind;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkStatus;
import io.paralleltranslation.operators.records.TranslatedChunk;
import io.paralleltranslation.operators.testing.Chunks;
import io.paralleltranslation.ratelimit.Acquisition;
import io.paralleltranslation.ratelimit.QuotaDimension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The function inside Flink's own async operator, as the job wires it ({@code unorderedWait}). */
@Timeout(60)
class TranslateChunkOperatorTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final TranslateSettings FAST = new TranslateSettings(Duration.ofMillis(1), Duration.ofMillis(5), 4, 3);
    private static final long OPERATOR_TIMEOUT_MS = 60_000;

    private static OneInputStreamOperatorTestHarness<ChunkRecord, TranslatedChunk> harness(
            FakeTranslationClient client, FakeQuotaLimiter limiter) throws Exception {
        TranslateChunkFunction function = new TranslateChunkFunction(() -> client, () -> limiter, FAST, CLOCK);
        return new OneInputStreamOperatorTestHarness<>(
                new AsyncWaitOperatorFactory<>(function, OPERATOR_TIMEOUT_MS, TranslateChunkFunction.DEFAULT_CAPACITY,
                        AsyncDataStream.OutputMode.UNORDERED),
                TypeInformation.of(ChunkRecord.class).createSerializer(new ExecutionConfig().getSerializerConfig()));
    }

    @Test
    void translatesEveryChunkThroughQuotaWaits429sAndTransientFailures() throws Exception {
        FakeTranslationClient client = new FakeTranslationClient()
                .then(TranslationOutcome.retryAfter(Duration.ofMillis(5), QuotaKind.INPUT_TOKENS_PER_MINUTE, 429, "tpm"))
                .then(TranslationOutcome.retryBackoff(503, "overloaded"));
        FakeQuotaLimiter limiter = new FakeQuotaLimiter()
                .then(Acquisition.denied(NOW.plusMillis(10), QuotaDimension.REQUESTS_PER_MINUTE));
        try (OneInputStreamOperatorTestHarness<ChunkRecord, TranslatedChunk> harness = harness(client, limiter)) {
            harness.open();
            for (int i = 0; i < 12; i++) {
                harness.processElement(new StreamRecord<>(Chunks.chunk("job", i, 12)));
            }
            harness.endInput();

            List<TranslatedChunk> results = harness.extractOutputValues();
            assertThat(results).hasSize(12);
            assertThat(results).allSatisfy(r -> assertThat(r.status).isEqualTo(ChunkStatus.SUCCEEDED));
            assertThat(results).extracting(r -> r.chunkIndex).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            assertThat(results.stream().mapToInt(r -> r.count429).sum()).isEqualTo(1);
            assertThat(results.stream().mapToInt(r -> r.retries).sum()).isEqualTo(2);
            assertThat(client.requests).hasSize(14);
        }
        assertThat(client.closed).isTrue();
        assertThat(limiter.closed).isTrue();
    }

    @Test
    void theOperatorTimeoutYieldsAFailedChunkNotAJobFailure() throws Exception {
        FakeTranslationClient client = new FakeTranslationClient().then(new CompletableFuture<>());
        FakeQuotaLimiter limiter = new FakeQuotaLimiter();
        try (OneInputStreamOperatorTestHarness<ChunkRecord, TranslatedChunk> harness = harness(client, limiter)) {
            harness.open();
            harness.setProcessingTime(0);
            harness.processElement(new StreamRecord<>(Chunks.chunk("job", 0, 2)));
            harness.processElement(new StreamRecord<>(Chunks.chunk("job", 1, 2)));
            harness.setProcessingTime(OPERATOR_TIMEOUT_MS + 1);
            harness.endInput();

            List<TranslatedChunk> results = harness.extractOutputValues();
            assertThat(results).extracting(r -> r.chunkIndex + ":" + r.status)
                    .containsExactlyInAnyOrder("0:FAILED", "1:SUCCEEDED");
            assertThat(results).filteredOn(r -> r.chunkIndex == 0).singleElement()
                    .satisfies(r -> assertThat(r.failureReason).startsWith("no result within the operator timeout"));
        }
    }

    @Test
    void aChunkInFlightAtACheckpointIsTranslatedAfterRestore() throws Exception {
        CompletableFuture<TranslationOutcome> neverAnswered = new CompletableFuture<>();
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<ChunkRecord, TranslatedChunk> harness =
                harness(new FakeTranslationClient().then(neverAnswered), new FakeQuotaLimiter())) {
            harness.open();
            harness.processElement(new StreamRecord<>(Chunks.chunk("job", 3, 4)));
            snapshot = harness.snapshot(1, 1);
            assertThat(harness.extractOutputValues()).isEmpty();
        }

        FakeTranslationClient client = new FakeTranslationClient();
        try (OneInputStreamOperatorTestHarness<ChunkRecord, TranslatedChunk> restored =
                harness(client, new FakeQuotaLimiter())) {
            restored.initializeState(snapshot);
            restored.open();
            restored.endInput();
            assertThat(restored.extractOutputValues()).extracting(r -> r.chunkIndex + ":" + r.status)
                    .containsExactly("3:SUCCEEDED");
            assertThat(client.requests).hasSize(1);
        }
    }
}
