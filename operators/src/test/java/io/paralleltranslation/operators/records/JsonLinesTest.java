package io.paralleltranslation.operators.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.operators.testing.Chunks;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLinesTest {

    private static JobStatus status() {
        JobStatus s = new JobStatus();
        s.jobId = "job-1";
        s.source = "book.md";
        s.targetLanguage = "de";
        s.outcome = JobOutcome.INCOMPLETE;
        s.totalChunks = 4;
        s.chunksSucceeded = 2;
        s.failedChunks = new ChunkFailure[] {new ChunkFailure(1, "PERMANENT finishReason=SAFETY:\nblocked")};
        s.missingIndices = new int[] {3};
        s.geminiCalls = 5;
        s.retries = 2;
        s.count429 = 1;
        s.inputTokens = 900;
        s.outputTokens = 1100;
        s.firstChunkSeenAt = 1_000;
        s.emittedAt = 61_000;
        s.durationMillis = 60_000;
        return s;
    }

    @Test
    void aJobStatusIsOneJsonLineThatReadsBack() throws Exception {
        String line = JsonLines.toLine(status());
        assertThat(line).doesNotContain("\n").startsWith("{\"jobId\":\"job-1\",\"source\":\"book.md\"")
                .contains("\"outcome\":\"INCOMPLETE\"", "\"missingIndices\":[3]",
                        "\"failedChunks\":[{\"chunkIndex\":1,\"reason\":\"PERMANENT finishReason=SAFETY:\\nblocked\"}]",
                        "\"count429\":1", "\"durationMillis\":60000");
        JobStatus back = JsonLines.fromLine(line, JobStatus.class);
        assertThat(back).usingRecursiveComparison().isEqualTo(status());
    }

    @Test
    void aDeadLetterLeavesOutUnknownIdentity() throws Exception {
        DeadLetter letter = DeadLetter.of("parse", "not a JSON object", "[1]".getBytes(StandardCharsets.UTF_8), 42,
                null, null);
        String line = JsonLines.toLine(letter);
        assertThat(line).isEqualTo("{\"stage\":\"parse\",\"reason\":\"not a JSON object\",\"raw\":\"[1]\","
                + "\"rawEncoding\":\"utf-8\",\"detectedAt\":42}");
        assertThat(JsonLines.fromLine(line, DeadLetter.class)).usingRecursiveComparison().isEqualTo(letter);
    }

    @Test
    void aTranslatedChunkCarriesTheTextOrTheReason() {
        TranslatedChunk ok = Chunks.succeeded("j", 0, 1, "Hallo", 7);
        assertThat(ok.succeeded()).isTrue();
        assertThat(ok.failureReason).isNull();
        TranslatedChunk bad = Chunks.failed("j", 0, 1, "refused", 7);
        assertThat(bad.succeeded()).isFalse();
        assertThat(bad.translatedText).isNull();
        assertThat(bad.toString()).contains("FAILED (refused)");
    }
}
