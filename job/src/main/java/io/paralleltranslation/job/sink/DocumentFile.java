package io.paralleltranslation.job.sink;

import java.util.Objects;

/**
 * One finished document as the document sink writes it: {@link #content}, byte for byte (UTF-8),
 * into {@code <output>/<jobId>/<fileName>}, and then {@link #statusLine}, its COMPLETE status
 * naming that file, into {@code <output>/_status/}. A Flink POJO, so it travels without Kryo.
 */
public class DocumentFile {
    public String jobId;
    /** {@link DocumentNames#fileName}: the source's name with the target language before its extension. */
    public String fileName;
    public String content;
    /** The document's COMPLETE status record as one JSON line, with its output path; null for a partial document. */
    public String statusLine;

    public DocumentFile() {}

    public DocumentFile(String jobId, String fileName, String content, String statusLine) {
        this.jobId = jobId;
        this.fileName = fileName;
        this.content = content;
        this.statusLine = statusLine;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DocumentFile)) {
            return false;
        }
        DocumentFile other = (DocumentFile) o;
        return Objects.equals(other.jobId, jobId) && Objects.equals(other.fileName, fileName)
                && Objects.equals(other.content, content) && Objects.equals(other.statusLine, statusLine);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, fileName, content, statusLine);
    }

    @Override
    public String toString() {
        return "DocumentFile{jobId=" + jobId + ", fileName=" + fileName + ", chars="
                + (content == null ? 0 : content.length()) + "}";
    }
}
