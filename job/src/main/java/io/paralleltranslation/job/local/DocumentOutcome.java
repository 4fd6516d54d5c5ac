package io.paralleltranslation.job.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/** One document's status record, as far as the local run's summary needs it. */
final class DocumentOutcome {
    static final String COMPLETE = "COMPLETE";

    final String jobId;
    final String source;
    final String outcome;
    final int chunks;
    final long geminiCalls;
    final long count429;
    final long inputTokens;
    final long outputTokens;
    final long durationMillis;
    /** When the reassembly emitted the document and its status (epoch millis; 0 if absent). */
    long emittedAt;
    /** When its status file was written: the document sink writes it at the checkpoint's commit (epoch millis; 0 if unknown). */
    long committedAt;
    /** When the document's first chunk reached the translate operator (epoch millis; 0 if absent). */
    long firstChunkSeenAt;
    /** The status's estimatedCostUsd; zero when the status has none. */
    final BigDecimal estimatedCostUsd;

    DocumentOutcome(String jobId, String source, String outcome, int chunks, long geminiCalls, long count429,
            long inputTokens, long outputTokens, long durationMillis, BigDecimal estimatedCostUsd) {
        this.jobId = jobId;
        this.source = source;
        this.outcome = outcome;
        this.chunks = chunks;
        this.geminiCalls = geminiCalls;
        this.count429 = count429;
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.durationMillis = durationMillis;
        this.estimatedCostUsd = estimatedCostUsd;
    }

    /** From a status JSON line (the fields of the operators' {@code JobStatus}). */
    static DocumentOutcome fromStatus(JsonNode status) {
        DocumentOutcome outcome = new DocumentOutcome(text(status, "jobId"), text(status, "source"),
                text(status, "outcome"), status.path("totalChunks").asInt(), status.path("geminiCalls").asLong(),
                status.path("count429").asLong(), status.path("inputTokens").asLong(),
                status.path("outputTokens").asLong(), status.path("durationMillis").asLong(),
                status.path("estimatedCostUsd").isNumber() ? status.get("estimatedCostUsd").decimalValue()
                        : BigDecimal.ZERO);
        outcome.emittedAt = status.path("emittedAt").asLong();
        outcome.firstChunkSeenAt = status.path("firstChunkSeenAt").asLong();
        return outcome;
    }

    /** A final record; ACCEPTED, PROGRESS and WAITING_FOR_DAILY_QUOTA records come while the document is open. */
    boolean isFinal() {
        return COMPLETE.equals(outcome) || "FAILED".equals(outcome) || "INCOMPLETE".equals(outcome);
    }

    boolean complete() {
        return COMPLETE.equals(outcome);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
