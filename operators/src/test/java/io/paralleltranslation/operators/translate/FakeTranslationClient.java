package io.paralleltranslation.operators.translate;

import io.paralleltranslation.operators.gemini.TranslationClient;
import io.paralleltranslation.operators.gemini.TranslationOutcome;
import io.paralleltranslation.operators.gemini.TranslationRequest;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/** Answers calls from a script; a call past the script's end succeeds. */
final class FakeTranslationClient implements TranslationClient {
    static final long ESTIMATE = 1_000;

    private final Deque<CompletableFuture<TranslationOutcome>> script = new ConcurrentLinkedDeque<>();
    final List<TranslationRequest> requests = new CopyOnWriteArrayList<>();
    /** The thread each call was made on. */
    final List<String> callingThreads = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    FakeTranslationClient then(TranslationOutcome outcome) {
        script.add(CompletableFuture.completedFuture(outcome));
        return this;
    }

    /** The next call's answer is this future, completed (or not) by the test. */
    FakeTranslationClient then(CompletableFuture<TranslationOutcome> pending) {
        script.add(pending);
        return this;
    }

    @Override
    public CompletableFuture<TranslationOutcome> translate(TranslationRequest request) {
        requests.add(request);
        callingThreads.add(Thread.currentThread().getName());
        CompletableFuture<TranslationOutcome> next = script.poll();
        return next != null ? next
                : CompletableFuture.completedFuture(TranslationOutcome.success("[de] " + request.text(), 100, 120, "STOP"));
    }

    final java.util.concurrent.atomic.AtomicInteger warmUps = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void warmUp(java.time.Duration timeout) {
        warmUps.incrementAndGet();
    }

    @Override
    public long estimateInputTokens(TranslationRequest request) {
        return ESTIMATE;
    }

    @Override
    public void close() {
        closed = true;
    }
}
