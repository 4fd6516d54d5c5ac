package io.paralleltranslation.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DocumentNamesTest {

    @Test
    void theTargetLanguageGoesBeforeTheExtension() {
        assertThat(DocumentNames.fileName("field-guide.md", "de")).isEqualTo("field-guide.de.md");
        assertThat(DocumentNames.fileName("kaze-no-tegami.ja.txt", "en")).isEqualTo("kaze-no-tegami.ja.en.txt");
        assertThat(DocumentNames.fileName("notes", "pt-BR")).isEqualTo("notes.pt-br");
    }

    @Test
    void keepsLettersOfAnyScriptAndNeverLeavesTheJobsDirectory() {
        assertThat(DocumentNames.fileName("風の手紙.txt", "de")).isEqualTo("風の手紙.de.txt");
        assertThat(DocumentNames.fileName("../../etc/passwd", "de")).isEqualTo("passwd.de");
        assertThat(DocumentNames.fileName("C:\\docs\\a b?.md", "de")).isEqualTo("a_b_.de.md");
        assertThat(DocumentNames.fileName(".hidden.md", "de")).as("never a hidden file").isEqualTo("hidden.de.md");
    }

    @Test
    void aMissingNameIsDocument() {
        assertThat(DocumentNames.fileName(null, "de")).isEqualTo("document.de");
        assertThat(DocumentNames.fileName("...", "de")).isEqualTo("document.de");
        assertThat(DocumentNames.fileName(".md", "de")).isEqualTo("md.de");
    }

    @Test
    void thePathIsUnderTheJobsDirectory() {
        assertThat(DocumentNames.outputPath("s3://bucket/out/", "job-1", "a.de.md")).isEqualTo("s3://bucket/out/job-1/a.de.md");
        assertThat(DocumentNames.outputPath("file:/tmp/out", "job-1", "a.de.md")).isEqualTo("file:/tmp/out/job-1/a.de.md");
    }
}
