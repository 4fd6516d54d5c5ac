package io.paralleltranslation.job.local;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The local run's report: one line per submitted document, then the {@code RESULT} line that
 * scripts (bench/pipeline.sh, the ITCase) read. A document without a status record counts as
 * incomplete.
 */
final class RunSummary {
    /** A submitted document: its jobId and the file it came from. */
    static final class Submitted {
        final String jobId;
        final String file;

        Submitted(String jobId, String file) {
            this.jobId = jobId;
            this.file = file;
        }
    }

    /** Gemini calls and 429s as the emulator counted them; null when a real Gemini served the run. */
    static final class EmulatorCounts {
        final long calls;
        final long count429;

        EmulatorCounts(long calls, long count429) {
            this.calls = calls;
            this.count429 = count429;
        }
    }

    final int documents;
    final int complete;
    final int deadLetters;
    final long chunks;
    final double wallSeconds;
    final long geminiCalls;
    final long gemini429;
    final long tokensIn;
    final long tokensOut;
    /** Sum of the statuses' estimatedCostUsd. */
    final BigDecimal costUsd;
    private final String table;

    RunSummary(List<Submitted> submitted, Map<String, DocumentOutcome> outcomes, int deadLetters,
            double wallSeconds, EmulatorCounts emulator) {
        StringBuilder rows = new StringBuilder();
        rows.append(String.format(Locale.ROOT, "%-44s %-28s %-10s %6s %8s%n", "jobId", "source", "outcome",
                "chunks", "time_s"));
        int completeCount = 0;
        long chunkCount = 0;
        long calls = 0;
        long count429 = 0;
        long in = 0;
        long out = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (Submitted doc : submitted) {
            DocumentOutcome o = outcomes.get(doc.jobId);
            if (o == null) {
                rows.append(String.format(Locale.ROOT, "%-44s %-28s %-10s %6s %8s%n", doc.jobId, doc.file,
                        "NO_STATUS", "-", "-"));
                continue;
            }
            if (o.complete()) {
                completeCount++;
            }
            chunkCount += o.chunks;
            calls += o.geminiCalls;
            count429 += o.count429;
            in += o.inputTokens;
            out += o.outputTokens;
            cost = cost.add(o.estimatedCostUsd);
            rows.append(String.format(Locale.ROOT, "%-44s %-28s %-10s %6d %8.1f%n", doc.jobId,
                    o.source != null ? o.source : doc.file, o.outcome, o.chunks, o.durationMillis / 1000.0));
        }
        this.table = rows.toString();
        this.documents = submitted.size();
        this.complete = completeCount;
        this.deadLetters = deadLetters;
        this.chunks = chunkCount;
        this.wallSeconds = wallSeconds;
        this.geminiCalls = emulator != null ? emulator.calls : calls;
        this.gemini429 = emulator != null ? emulator.count429 : count429;
        this.tokensIn = in;
        this.tokensOut = out;
        this.costUsd = cost;
    }

    boolean allComplete() {
        return complete == documents;
    }

    /** The per-document table, header first. */
    String table() {
        return table;
    }

    String resultLine() {
        return String.format(Locale.ROOT,
                "RESULT documents=%d complete=%d incomplete=%d dead_letters=%d chunks=%d wall_s=%.1f "
                        + "gemini_calls=%d gemini_429=%d tokens_in=%d tokens_out=%d cost_usd=%.6f",
                documents, complete, documents - complete, deadLetters, chunks, wallSeconds, geminiCalls,
                gemini429, tokensIn, tokensOut, costUsd);
    }
}
