package io.paralleltranslation.job.submit;

import io.paralleltranslation.operators.gemini.GeminiClientSettings;
import io.paralleltranslation.operators.gemini.GeminiPrompt;
import io.paralleltranslation.operators.gemini.TranslationRequest;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.ratelimit.QuotaOutlook;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

/**
 * What a submission needs from the Gemini quota, printed before anything is put: per document its
 * chunks, estimated input tokens and requests, and, when the quota item can be read, whether the
 * requests left today finish it (documents count in argument order, each behind the ones before)
 * and an ETA at the quota's pace. The job may already have a backlog of its own that the quota
 * item does not show: the ETA is the earliest the quota allows.
 */
final class Preflight {
    /** The translate step's estimate with the client's default settings. */
    private static final GeminiClientSettings ESTIMATE = GeminiClientSettings.builder().build();

    private final PrintStream err;

    Preflight(PrintStream err) {
        this.err = err;
    }

    /**
     * Prints the needs of each document and, with an outlook, whether today's quota finishes it.
     *
     * @param outlook null when the quota item was not read
     * @return the documents (sources) today's quota cannot finish; empty without an outlook
     */
    List<String> check(List<List<ChunkRecord>> documents, QuotaOutlook outlook, Instant now) {
        long requestsBefore = 0;
        List<String> notToday = new java.util.ArrayList<>();
        if (outlook != null) {
            err.println("submit: quota " + outlook.requestsLeftToday() + " of " + outlook.requestsPerDay()
                    + " requests left today (resets " + outlook.dayEndsAt() + "), " + outlook.requestsPerMinute()
                    + " RPM, " + outlook.inputTokensPerMinute() + " input TPM");
        }
        for (List<ChunkRecord> records : documents) {
            long tokens = 0;
            for (ChunkRecord r : records) {
                tokens += GeminiPrompt.of(new TranslationRequest(r.model, r.text, r.previousContext, r.sourceLanguage,
                        r.targetLanguage, r.glossary)).estimateInputTokens(ESTIMATE);
            }
            long requests = records.size();
            StringBuilder line = new StringBuilder("submit: preflight ").append(records.get(0).source).append(": ")
                    .append(records.size()).append(" chunks, ~").append(tokens).append(" input tokens, ")
                    .append(requests).append(" requests");
            if (outlook != null) {
                requestsBefore += requests;
                boolean today = requestsBefore <= outlook.requestsLeftToday();
                Instant eta = outlook.finishEstimate(now, requestsBefore, tokens / Math.max(1, requests));
                line.append(today ? "; today's quota can finish it" : "; today's quota cannot finish it")
                        .append(", ETA ").append(eta).append(" at the earliest");
                if (!today) {
                    notToday.add(records.get(0).source);
                }
            } else {
                line.append("; today's remaining quota unknown (give --quota-table to read it)");
            }
            err.println(line);
        }
        return notToday;
    }
}
