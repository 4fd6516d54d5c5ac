package io.paralleltranslation.job.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A document written to its in-progress file and closed, waiting for its checkpoint: where it
 * goes, how to publish it (the file system's commit recoverable, serialized; null for a document
 * delivered before, which is not written again), and the status line and the file it goes to once
 * the document is published.
 */
final class PendingDocument {
    final String path;
    final int recoverableVersion;
    final byte[] recoverable;
    final String statusPath;
    final String statusLine;

    PendingDocument(String path, int recoverableVersion, byte[] recoverable, String statusPath, String statusLine) {
        this.path = path;
        this.recoverableVersion = recoverableVersion;
        this.recoverable = recoverable;
        this.statusPath = statusPath;
        this.statusLine = statusLine;
    }

    @Override
    public String toString() {
        return "PendingDocument{" + path + "}";
    }

    /** Checkpointed by the committer until the commit succeeded. */
    static final class Serializer implements SimpleVersionedSerializer<PendingDocument> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(PendingDocument pending) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                writeBytes(out, pending.path.getBytes(StandardCharsets.UTF_8));
                out.writeInt(pending.recoverableVersion);
                writeBytes(out, pending.recoverable);
                writeBytes(out, pending.statusPath.getBytes(StandardCharsets.UTF_8));
                writeBytes(out, (pending.statusLine == null ? "" : pending.statusLine).getBytes(StandardCharsets.UTF_8));
            }
            return bytes.toByteArray();
        }

        @Override
        public PendingDocument deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown PendingDocument version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                String path = new String(readBytes(in), StandardCharsets.UTF_8);
                int recoverableVersion = in.readInt();
                byte[] recoverable = readBytes(in);
                String statusPath = new String(readBytes(in), StandardCharsets.UTF_8);
                String statusLine = new String(readBytes(in), StandardCharsets.UTF_8);
                statusLine = statusLine.isEmpty() ? null : statusLine;
                return new PendingDocument(path, recoverableVersion, recoverable, statusPath, statusLine);
            }
        }

        /** Null as length -1 (only the recoverable is ever null). */
        private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
            if (bytes == null) {
                out.writeInt(-1);
                return;
            }
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        private static byte[] readBytes(DataInputStream in) throws IOException {
            int length = in.readInt();
            if (length < 0) {
                return null;
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return bytes;
        }
    }
}
