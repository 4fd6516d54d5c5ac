package io.paralleltranslation.job.sink;

import java.util.Objects;

/**
 * One finished document as the file sink writes it: its text goes, byte for byte (UTF-8), into one
 * file under {@code <output>/<jobId>/}. A Flink POJO, so it travels without Kryo.
 */
public class DocumentFile {
    public String jobId;
    public String content;

    public DocumentFile() {}

    public DocumentFile(String jobId, String content) {
        this.jobId = jobId;
        this.content = content;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DocumentFile && Objects.equals(((DocumentFile) o).jobId, jobId)
                && Objects.equals(((DocumentFile) o).content, content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, content);
    }

    @Override
    public String toString() {
        return "DocumentFile{jobId=" + jobId + ", chars=" + (content == null ? 0 : content.length()) + "}";
    }
}
