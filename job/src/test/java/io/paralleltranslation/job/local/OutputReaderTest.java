package io.paralleltranslation.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputReaderTest {
    @TempDir
    Path out;

    @Test
    void readsCommittedStatusRecordsAndIgnoresHiddenPartFiles() throws IOException {
        Path day = Files.createDirectories(out.resolve("_status/2026-12-01"));
        Files.writeString(day.resolve("status-0-0.jsonl"),
                "{\"jobId\":\"a.de-1\",\"source\":\"a.txt\",\"outcome\":\"COMPLETE\",\"totalChunks\":3,"
                        + "\"geminiCalls\":4,\"count429\":1,\"inputTokens\":300,\"outputTokens\":310,"
                        + "\"durationMillis\":2500,\"failedChunks\":[],\"missingIndices\":[]}\n\n");
        Files.writeString(day.resolve(".status-1-0.jsonl.inprogress.1234"),
                "{\"jobId\":\"b.de-2\",\"outcome\":\"COMPLETE\"}\n");
        Files.writeString(day.resolve("status-1-1.jsonl"), "not json\n");

        Map<String, DocumentOutcome> statuses = new OutputReader(out).statuses();

        assertThat(statuses).containsOnlyKeys("a.de-1");
        DocumentOutcome a = statuses.get("a.de-1");
        assertThat(a.complete()).isTrue();
        assertThat(a.source).isEqualTo("a.txt");
        assertThat(a.chunks).isEqualTo(3);
        assertThat(a.geminiCalls).isEqualTo(4);
        assertThat(a.count429).isEqualTo(1);
        assertThat(a.inputTokens).isEqualTo(300);
        assertThat(a.outputTokens).isEqualTo(310);
        assertThat(a.durationMillis).isEqualTo(2500);
    }

    @Test
    void aStatusIsCommittedWhenItsFileWasWrittenAndCarriesItsPhaseTimes() throws IOException {
        Path day = Files.createDirectories(out.resolve("_status/2026-12-01"));
        Path file = Files.writeString(day.resolve("status-complete-a.de-1.jsonl"),
                "{\"jobId\":\"a.de-1\",\"outcome\":\"COMPLETE\",\"firstChunkSeenAt\":1000,\"emittedAt\":4000}\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(4_750_000));

        DocumentOutcome a = new OutputReader(out).statuses().get("a.de-1");

        assertThat(a.firstChunkSeenAt).isEqualTo(1000);
        assertThat(a.emittedAt).isEqualTo(4000);
        assertThat(a.committedAt).isEqualTo(4_750_000);
    }

    @Test
    void countsCommittedDeadLetterLines() throws IOException {
        Path day = Files.createDirectories(out.resolve("_dead-letter/2026-12-01"));
        Files.writeString(day.resolve("dead-letter-0-0.jsonl"), "{\"reason\":\"x\"}\n{\"reason\":\"y\"}\n");
        Files.writeString(day.resolve(".dead-letter-0-1.jsonl.inprogress.9"), "{\"reason\":\"z\"}\n");
        assertThat(new OutputReader(out).deadLetters()).isEqualTo(2);
    }

    @Test
    void nothingWrittenYetMeansNothingRead() {
        assertThat(new OutputReader(out).statuses()).isEmpty();
        assertThat(new OutputReader(out).deadLetters()).isZero();
    }
}
