package io.paralleltranslation.operators.gemini;

import java.util.concurrent.CompletableFuture;

/**
 * Translates one chunk with one model call. The returned future never completes exceptionally:
 * every answer, including network failures and timeouts, is classified into a
 * {@link TranslationOutcome}, so the caller decides retries and quota bookkeeping.
 *
 * <p>{@link GeminiTranslationClient} is the implementation over the google-genai SDK; see
 * {@code docs/gemini.md} for the prompt, the outcome classes and the emulator tests run against.
 * Implementations never retry on their own: every call is one request the global quota granted.
 */
public interface TranslationClient extends AutoCloseable {

    CompletableFuture<TranslationOutcome> translate(TranslationRequest request);

    /**
     * Conservative estimate of the input tokens this request will be billed for (system
     * instruction, context and text), taken from the quota before the call. The outcome's
     * {@link TranslationOutcome#promptTokens()} is the billed number to reconcile with.
     */
    long estimateInputTokens(TranslationRequest request);

    /**
     * Loads, connects and exercises the client before the first quota grant is spent on it, so
     * that the first calls reach the model as soon after their grant as later ones (a cold client
     * took 2-3 s longer, enough to let two bursts meet in one minute at the model). Blocks up to
     * {@code timeout}; a failure is the caller's to log, never fatal.
     */
    default void warmUp(java.time.Duration timeout) throws Exception {}

    @Override
    void close();
}
