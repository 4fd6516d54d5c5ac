package io.paralleltranslation.operators.reassemble;

import io.paralleltranslation.operators.records.JobOutcome;

/**
 * Reassembly's bookkeeping for one document (one ValueState per jobId). A Flink POJO.
 * "In translation" counts chunks the dedup step accepted that have no result yet: the translate
 * step gives each exactly one, so while it is above zero the document is waiting, not stuck.
 */
public class DocumentProgress {
    /** 0 until a chunk that knows it (an accepted chunk or a translation result) arrives. */
    public int totalChunks;
    /** Indices in {@code [0, totalChunks)} with a result. */
    public int withResult;
    public int inTranslation;
    /** Summed over the accepted chunks; {@link #acceptedChunks} of them. */
    public long estimatedInputTokens;
    public int acceptedChunks;
    public String source;
    public String targetLanguage;
    /** Processing time reassembly first heard of the document. */
    public long firstSeenAt;
    /** Processing time of the document's last accepted chunk or result. */
    public long lastActivityAt;
    /** Since when nothing of the document has been in translation (only meaningful at 0). */
    public long idleSince;
    /** Whether the ACCEPTED record went out. */
    public boolean announced;
    /** When the last non-final status record (ACCEPTED, PROGRESS, WAITING) went out. */
    public long lastStatusAt;
    /** {@link #withResult} when the last non-final status record went out. */
    public int statusWithResult;
    /** The WAITING_FOR_DAILY_QUOTA record's resumesAt last emitted, so each wait is said once. */
    public long announcedResumesAt;
    /** Null while the document is open. */
    public JobOutcome reportedOutcome;
    public long reportedAt;
    public int reopened;
    /** Duplicate records dedup dropped before the report: calls not paid for. */
    public int duplicatesDropped;
    /** Estimated cost already added to the running-total metric by an earlier report of this document. */
    public long costCountedMicroUsd;
    /** The key's one timer, and when it was armed (to tell timers restored from a checkpoint). */
    public long timerAt;
    public long timerArmedAt;

    public DocumentProgress() {}

    boolean reported() {
        return reportedOutcome != null;
    }

    boolean allResultsIn() {
        return totalChunks > 0 && withResult >= totalChunks;
    }
}
