package io.paralleltranslation.job.sink;

import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.JsonLines;
import io.paralleltranslation.operators.records.TranslatedDocument;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by jobId: pairs a finished document with its COMPLETE status (the reassembly emits both,
 * on two outputs, in either order downstream) and emits one {@link DocumentFile} carrying the text,
 * its file name and the status naming that file, so that one sink writes the file and only then
 * the status. Each document has at most one of each; state is cleared when the pair is emitted.
 */
public final class CompleteDocumentJoin extends KeyedCoProcessFunction<String, TranslatedDocument, JobStatus,
        DocumentFile> {
    private static final long serialVersionUID = 1L;

    private final String outputBasePath;
    private transient ValueState<TranslatedDocument> document;
    private transient ValueState<JobStatus> status;

    public CompleteDocumentJoin(String outputBasePath) {
        this.outputBasePath = outputBasePath;
    }

    @Override
    public void open(Configuration parameters) {
        document = getRuntimeContext().getState(new ValueStateDescriptor<>("document", TranslatedDocument.class));
        status = getRuntimeContext().getState(new ValueStateDescriptor<>("complete-status", JobStatus.class));
    }

    @Override
    public void processElement1(TranslatedDocument value, Context ctx, Collector<DocumentFile> out) throws Exception {
        JobStatus waiting = status.value();
        if (waiting == null) {
            document.update(value);
        } else {
            status.clear();
            out.collect(pair(value, waiting));
        }
    }

    @Override
    public void processElement2(JobStatus value, Context ctx, Collector<DocumentFile> out) throws Exception {
        TranslatedDocument waiting = document.value();
        if (waiting == null) {
            status.update(value);
        } else {
            document.clear();
            out.collect(pair(waiting, value));
        }
    }

    private DocumentFile pair(TranslatedDocument doc, JobStatus complete) {
        String fileName = DocumentNames.fileName(doc.source, doc.targetLanguage);
        complete.outputPath = DocumentNames.outputPath(outputBasePath, doc.jobId, fileName);
        return new DocumentFile(doc.jobId, fileName, doc.text, JsonLines.toLine(complete));
    }

    /** The document's key. */
    public static final class DocumentKey implements KeySelector<TranslatedDocument, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(TranslatedDocument document) {
            return document.jobId;
        }
    }

    /** The status's key. */
    public static final class StatusKey implements KeySelector<JobStatus, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(JobStatus status) {
            return status.jobId;
        }
    }

    /** Selects the COMPLETE statuses (or, negated, every other one). */
    public static final class IsComplete implements FilterFunction<JobStatus> {
        private static final long serialVersionUID = 1L;
        private final boolean complete;

        public IsComplete(boolean complete) {
            this.complete = complete;
        }

        @Override
        public boolean filter(JobStatus status) {
            return (status.outcome == JobOutcome.COMPLETE) == complete;
        }
    }
}
