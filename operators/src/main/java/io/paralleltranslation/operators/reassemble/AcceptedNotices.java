package io.paralleltranslation.operators.reassemble;

import io.paralleltranslation.operators.gemini.GeminiClientSettings;
import io.paralleltranslation.operators.gemini.GeminiPrompt;
import io.paralleltranslation.operators.gemini.TranslationRequest;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.TranslatedChunk;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns each chunk the dedup step lets through into an ACCEPTED notice for reassembly
 * ({@link TranslatedChunk#accepted}), with the input tokens it is estimated to take from the quota.
 * Chained to the dedup step, so a notice leaves when its chunk goes to translation.
 */
public class AcceptedNotices extends ProcessFunction<ChunkRecord, TranslatedChunk> {
    private static final long serialVersionUID = 1L;
    /** The translate step's estimate with the client's default settings: close enough for an ETA. */
    private static final GeminiClientSettings ESTIMATE = GeminiClientSettings.builder().build();

    @Override
    public void processElement(ChunkRecord chunk, Context ctx, Collector<TranslatedChunk> out) {
        long tokens = GeminiPrompt.of(new TranslationRequest(chunk.model, chunk.text, chunk.previousContext,
                chunk.sourceLanguage, chunk.targetLanguage, chunk.glossary)).estimateInputTokens(ESTIMATE);
        out.collect(TranslatedChunk.accepted(chunk, ctx.timerService().currentProcessingTime(), tokens));
    }
}
