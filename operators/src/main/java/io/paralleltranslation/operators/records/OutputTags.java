package io.paralleltranslation.operators.records;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** The side outputs of the job's functions. */
public final class OutputTags {
    /** Refused records, from both the parse and the dedup functions: union them for one sink. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** One report per job, from the reassembly function. */
    public static final OutputTag<JobStatus> JOB_STATUS =
            new OutputTag<>("job-status", TypeInformation.of(JobStatus.class));

    /**
     * The translated part of a FAILED or INCOMPLETE document, with a marker for each chunk it lacks,
     * from the reassembly function: next to the job's status record, never in place of a document.
     */
    public static final OutputTag<TranslatedDocument> PARTIAL_DOCUMENTS =
            new OutputTag<>("partial-documents", TypeInformation.of(TranslatedDocument.class));
    /** Notices of duplicate chunk records the dedup function dropped, for the reassembly's cost report. */
    public static final OutputTag<TranslatedChunk> DROPPED_DUPLICATES =
            new OutputTag<>("dropped-duplicates", TypeInformation.of(TranslatedChunk.class));

    private OutputTags() {}
}
