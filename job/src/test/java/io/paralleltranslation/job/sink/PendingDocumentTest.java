package io.paralleltranslation.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The committable is checkpointed until its commit: every form of it must come back whole. */
class PendingDocumentTest {
    private final PendingDocument.Serializer serializer = new PendingDocument.Serializer();

    private PendingDocument roundTrip(PendingDocument pending) throws Exception {
        return serializer.deserialize(serializer.getVersion(), serializer.serialize(pending));
    }

    @Test
    void aDocumentToPublishComesBackWhole() throws Exception {
        PendingDocument back = roundTrip(new PendingDocument("file:/out/j/a.de.md", 3, new byte[] {1, 2, 3},
                "file:/out/_status/2026-12-03/status-complete-j.jsonl", "{\"jobId\":\"j\"}"));
        assertThat(back.path).isEqualTo("file:/out/j/a.de.md");
        assertThat(back.recoverableVersion).isEqualTo(3);
        assertThat(back.recoverable).containsExactly(1, 2, 3);
        assertThat(back.statusPath).isEqualTo("file:/out/_status/2026-12-03/status-complete-j.jsonl");
        assertThat(back.statusLine).isEqualTo("{\"jobId\":\"j\"}");
    }

    @Test
    void aDocumentDeliveredBeforeHasNoFileToPublishAndOnlyItsStatus() throws Exception {
        PendingDocument back = roundTrip(new PendingDocument("file:/out/j/a.de.md", 0, null,
                "file:/out/_status/2026-12-03/status-complete-j-again-7.jsonl", "{\"jobId\":\"j\"}"));
        assertThat(back.recoverable).isNull();
        assertThat(back.statusLine).isEqualTo("{\"jobId\":\"j\"}");
    }

    @Test
    void aPartialDocumentHasNoStatus() throws Exception {
        PendingDocument back = roundTrip(new PendingDocument("file:/out/_partial/j/a.de.md", 1, new byte[0],
                "file:/out/_status/x.jsonl", null));
        assertThat(back.recoverable).isEmpty();
        assertThat(back.statusLine).isNull();
    }
}
