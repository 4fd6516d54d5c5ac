package io.paralleltranslation.job.sink;

import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.JsonLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each document to its own named file, exactly once, and only then its COMPLETE status.
 *
 * <p>Two-phase commit through Flink's {@link RecoverableWriter} (local file systems, HDFS, S3 via
 * the Hadoop S3 file system): the writer writes the document to an in-progress file (a hidden
 * temporary file locally, a multipart upload on S3) and closes it; when the checkpoint completes
 * the committer publishes it under its final name ({@code <output>/<jobId>/<name>.<lang><ext>}).
 * Then, and only then, the committer writes the document's COMPLETE status line to its own file
 * {@code <output>/_status/<yyyy-MM-dd>/status-complete-<jobId>.jsonl} (published whole, by the same
 * writer), so the status is never visible before the document. A commit that is retried after a
 * failure finds the document already published and writes the same status file again (same name,
 * same content), so neither appears twice. A whole document whose file exists already (an
 * earlier run delivered it) is not written again: see {@code Writer#keepDelivered}.
 *
 * <p>(Not a post-commit topology into the status {@code FileSink}: Flink commits the last
 * committables of a bounded or drained job after the downstream sink has ended its input, which
 * fails the job on {@code stop --drain}.)
 */
public final class DocumentSink implements Sink<DocumentFile>, SupportsCommitter<PendingDocument> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DocumentSink.class);
    /** How the {@code reason} of the status record of a document delivered before begins. */
    public static final String ALREADY_DELIVERED = "already delivered";

    private final String basePath;

    DocumentSink(String basePath) {
        this.basePath = basePath;
    }

    @Override
    @Deprecated
    public SinkWriter<DocumentFile> createWriter(InitContext context) throws IOException {
        return new Writer(basePath);
    }

    @Override
    public SinkWriter<DocumentFile> createWriter(WriterInitContext context) throws IOException {
        return new Writer(basePath);
    }

    @Override
    public Committer<PendingDocument> createCommitter(CommitterInitContext context) {
        return new DocumentCommitter();
    }

    @Override
    public SimpleVersionedSerializer<PendingDocument> getCommittableSerializer() {
        return new PendingDocument.Serializer();
    }

    private static RecoverableWriter recoverableWriter(Path path) throws IOException {
        return FileSystem.get(path.toUri()).createRecoverableWriter();
    }

    /** Writes each document to its in-progress file; hands the closed files to the committer at each checkpoint. */
    static final class Writer implements CommittingSinkWriter<DocumentFile, PendingDocument> {
        private final String basePath;
        private final List<PendingDocument> pending = new ArrayList<>();
        private RecoverableWriter files;

        Writer(String basePath) {
            this.basePath = basePath;
        }

        @Override
        public void write(DocumentFile document, Context context) throws IOException {
            String target = DocumentNames.outputPath(basePath, document.jobId, document.fileName);
            Path path = new Path(target);
            if (files == null) {
                files = recoverableWriter(path);
            }
            if (document.statusLine != null && path.getFileSystem().exists(path)) {
                keepDelivered(document, target);
                return;
            }
            deleteLeftovers(path);
            RecoverableFsDataOutputStream out = files.open(path);
            out.write(document.content.getBytes(StandardCharsets.UTF_8));
            RecoverableWriter.CommitRecoverable recoverable = out.closeForCommit().getRecoverable();
            SimpleVersionedSerializer<RecoverableWriter.CommitRecoverable> serializer =
                    files.getCommitRecoverableSerializer();
            pending.add(new PendingDocument(target, serializer.getVersion(), serializer.serialize(recoverable),
                    statusPath(document.jobId), document.statusLine));
        }

        /**
         * A whole document whose file is already published was delivered by an earlier run: a job
         * started without state (it reads the stream from TRIM_HORIZON again) or restored from a
         * snapshot older than the delivery. A jobId is never reused (a rerun gets a new one), so the
         * file is that document's; it stays byte for byte as delivered (someone may have read or
         * copied it, and without the cache the new text could differ). Only a status line says it
         * came again, committed at the checkpoint like any other and under its own name, so the
         * first COMPLETE record stays too. Partial documents are not kept: a later, fuller partial
         * of a reopened document replaces the earlier one.
         */
        private void keepDelivered(DocumentFile document, String target) throws IOException {
            LOG.info("{} was delivered before (a replay after a start without state or from an older snapshot):"
                    + " kept as it is, not written again", target);
            JobStatus again = JsonLines.fromLine(document.statusLine, JobStatus.class);
            again.reason = ALREADY_DELIVERED + ": " + target + " kept as it was, not written again";
            pending.add(new PendingDocument(target, 0, null,
                    statusPath(document.jobId + "-again-" + again.emittedAt), JsonLines.toLine(again)));
        }

        /**
         * A document is emitted again only when the checkpoint after its first attempt never
         * completed, so an in-progress file of the same target (a hidden file next to it on file
         * systems that rename at commit) was left by a failed attempt: nothing will commit it.
         */
        private static void deleteLeftovers(Path target) throws IOException {
            FileSystem fs = target.getFileSystem();
            Path dir = target.getParent();
            if (!fs.exists(dir)) {
                return;
            }
            String prefix = "." + target.getName() + ".inprogress.";
            for (FileStatus file : fs.listStatus(dir)) {
                if (file.getPath().getName().startsWith(prefix)) {
                    fs.delete(file.getPath(), false);
                }
            }
        }

        /** One status file per COMPLETE document, in the status directory's day buckets. */
        private String statusPath(String jobId) {
            String day = LocalDate.now(ZoneOffset.UTC).toString();
            return (basePath.endsWith("/") ? basePath : basePath + "/") + OutputSinks.STATUS_DIR + "/" + day
                    + "/status-complete-" + jobId + ".jsonl";
        }

        @Override
        public Collection<PendingDocument> prepareCommit() {
            List<PendingDocument> ready = new ArrayList<>(pending);
            pending.clear();
            return ready;
        }

        @Override
        public void flush(boolean endOfInput) {
            // Every document is closed as soon as it is written; nothing is buffered.
        }

        @Override
        public void close() {
            // In-progress files of a failed attempt are never committed; a restore writes them anew.
        }
    }

    /** Publishes each in-progress file under its final name; idempotent, so a retried commit is harmless. */
    static final class DocumentCommitter implements Committer<PendingDocument> {
        private static final Logger LOG = LoggerFactory.getLogger(DocumentCommitter.class);

        @Override
        public void commit(Collection<CommitRequest<PendingDocument>> requests) throws IOException {
            for (CommitRequest<PendingDocument> request : requests) {
                PendingDocument document = request.getCommittable();
                if (document.recoverable != null) {
                    RecoverableWriter files = recoverableWriter(new Path(document.path));
                    RecoverableWriter.CommitRecoverable recoverable = files.getCommitRecoverableSerializer()
                            .deserialize(document.recoverableVersion, document.recoverable);
                    files.recoverForCommit(recoverable).commitAfterRecovery();
                }
                // Partial documents carry no status: theirs goes through the status lines.
                if (document.statusLine != null) {
                    writeStatus(document);
                }
                LOG.debug("Committed {} and its status", document.path);
            }
        }

        private static void writeStatus(PendingDocument document) throws IOException {
            Path path = new Path(document.statusPath);
            RecoverableWriter files = recoverableWriter(path);
            RecoverableFsDataOutputStream out = files.open(path);
            out.write((document.statusLine + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeForCommit().commit();
        }

        @Override
        public void close() {}
    }
}
