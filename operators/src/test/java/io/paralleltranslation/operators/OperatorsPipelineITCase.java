package io.paralleltranslation.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.operators.dedup.DeduplicateChunksFunction;
import io.paralleltranslation.operators.gemini.TranslationClient;
import io.paralleltranslation.operators.gemini.TranslationOutcome;
import io.paralleltranslation.operators.gemini.TranslationRequest;
import io.paralleltranslation.operators.parse.ParseChunkFunction;
import io.paralleltranslation.operators.reassemble.ReassembleDocumentFunction;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import io.paralleltranslation.operators.records.DeadLetter;
import io.paralleltranslation.operators.records.JobIdKeys;
import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.OutputTags;
import io.paralleltranslation.operators.records.TranslatedChunk;
import io.paralleltranslation.operators.records.TranslatedDocument;
import io.paralleltranslation.operators.testing.Chunks;
import io.paralleltranslation.operators.translate.TranslateChunkFunction;
import io.paralleltranslation.operators.translate.TranslateSettings;
import io.paralleltranslation.ratelimit.Acquisition;
import io.paralleltranslation.ratelimit.Grant;
import io.paralleltranslation.ratelimit.QuotaLimiter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The four functions wired as the job wires them, on a MiniCluster with parallelism 2, with a
 * client that fails transiently once per chunk 1 and answers on another thread after a delay.
 */
@Timeout(120)
class OperatorsPipelineITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final AtomicInteger CALLS = new AtomicInteger();
    static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();

    /**
     * Fails the first call for a chunk 1 (both documents' chunk 1 read the same, so only one fails),
     * answers everything else after a few milliseconds.
     */
    static final class FlakyClient implements TranslationClient {
        @Override
        public CompletableFuture<TranslationOutcome> translate(TranslationRequest request) {
            CALLS.incrementAndGet();
            boolean fail = request.text().endsWith("chunk 1.") && FAILED_ONCE.add(request.text());
            return CompletableFuture.supplyAsync(() -> fail ? TranslationOutcome.retryBackoff(503, "overloaded")
                    : TranslationOutcome.success("«" + request.text() + "»", 10, 12, "STOP"),
                    CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
        }

        @Override
        public long estimateInputTokens(TranslationRequest request) {
            return 10;
        }

        @Override
        public void close() {}
    }

    static final class GrantingLimiter implements QuotaLimiter {
        @Override
        public CompletableFuture<Acquisition> acquire(long inputTokens) {
            return CompletableFuture.completedFuture(Acquisition.granted(new Grant(Instant.now(), inputTokens)));
        }

        @Override
        public CompletableFuture<Void> reconcile(Grant grant, long actualInputTokens) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> pushback(Instant pausedUntil) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean inFallback() {
            return false;
        }

        @Override
        public void close() {}
    }

    @Test
    void documentsComeOutWholeAndInOrderDuplicatesCostNothingAndPoisonIsDeadLettered() throws Exception {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(ChunkRecordCodec.toJsonBytes(Chunks.chunk("five", i, 5)));
        }
        for (int i = 0; i < 3; i++) {
            records.add(ChunkRecordCodec.toJsonBytes(Chunks.chunk("three", i, 3)));
        }
        records.add(ChunkRecordCodec.toJsonBytes(Chunks.chunk("three", 1, 3)));
        records.add("{\"poison\":".getBytes(StandardCharsets.UTF_8));
        Collections.shuffle(records, new java.util.Random(7));

        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);

        SingleOutputStreamOperator<ChunkRecord> parsed = env
                .fromData(records, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .process(new ParseChunkFunction());
        SingleOutputStreamOperator<ChunkRecord> unique = parsed.keyBy(new JobIdKeys.OfChunk())
                .process(new DeduplicateChunksFunction());
        DataStream<TranslatedChunk> translated = AsyncDataStream.unorderedWait(unique,
                new TranslateChunkFunction(FlakyClient::new, GrantingLimiter::new,
                        new TranslateSettings(Duration.ofMillis(1), Duration.ofMillis(10), 3, 3)),
                StateLifetimes.BACKSTOP.toMillis(), TimeUnit.MILLISECONDS,
                TranslateChunkFunction.DEFAULT_CAPACITY);
        SingleOutputStreamOperator<TranslatedDocument> documents = translated.keyBy(new JobIdKeys.OfResult())
                .process(new ReassembleDocumentFunction());

        CloseableIterator<TranslatedDocument> docs = documents.collectAsync();
        CloseableIterator<JobStatus> statuses = documents.getSideOutput(OutputTags.JOB_STATUS).collectAsync();
        CloseableIterator<DeadLetter> deadLetters = parsed.getSideOutput(OutputTags.DEAD_LETTERS)
                .union(unique.getSideOutput(OutputTags.DEAD_LETTERS)).collectAsync();
        env.executeAsync("operators pipeline");

        List<TranslatedDocument> docList = drain(docs);
        List<JobStatus> statusList = drain(statuses).stream().filter(s -> s.outcome.isFinal())
                .collect(Collectors.toList());
        List<DeadLetter> deadList = drain(deadLetters);

        assertThat(docList).extracting(d -> d.jobId + "=" + d.text).containsExactlyInAnyOrder(
                "three=«Text of chunk 0.»«Text of chunk 1.»«Text of chunk 2.»",
                "five=«Text of chunk 0.»«Text of chunk 1.»«Text of chunk 2.»«Text of chunk 3.»«Text of chunk 4.»");
        assertThat(statusList).extracting(s -> s.jobId + ":" + s.outcome + ":" + s.totalChunks)
                .containsExactlyInAnyOrder("three:" + JobOutcome.COMPLETE + ":3", "five:" + JobOutcome.COMPLETE + ":5");
        assertThat(statusList.stream().mapToInt(s -> s.retries).sum()).isEqualTo(1);
        assertThat(deadList).singleElement().satisfies(d -> assertThat(d.reason).startsWith("malformed JSON"));
        // 8 unique chunks and one retry; the duplicate cost no call.
        assertThat(statusList.stream().mapToInt(s -> s.geminiCalls).sum()).isEqualTo(9);
        assertThat(CALLS).hasValue(9);
    }

    private static <T> List<T> drain(CloseableIterator<T> iterator) throws Exception {
        List<T> all = new ArrayList<>();
        try (CloseableIterator<T> it = iterator) {
            it.forEachRemaining(all::add);
        }
        return all;
    }
}
