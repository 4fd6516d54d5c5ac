package io.paralleltranslation.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
    private static final List<RunSummary.Submitted> SUBMITTED = List.of(
            new RunSummary.Submitted("a.de-1", "a.txt"),
            new RunSummary.Submitted("b.de-2", "b.md"),
            new RunSummary.Submitted("c.de-3", "c.txt"));
    private static final Map<String, DocumentOutcome> OUTCOMES = Map.of(
            "a.de-1", new DocumentOutcome("a.de-1", "a.txt", "COMPLETE", 10, 11, 1, 1200, 1300, 12_345,
                    new BigDecimal("0.003610")),
            "b.de-2", new DocumentOutcome("b.de-2", "b.md", "FAILED", 2, 3, 0, 200, 150, 2_000,
                    new BigDecimal("0.000435")));

    @Test
    void resultLineHasTheExactShapeAndCountsDocumentsWithoutStatusAsIncomplete() {
        RunSummary summary = new RunSummary(SUBMITTED, OUTCOMES, 4, 17.25, null);
        assertThat(summary.resultLine()).isEqualTo("RESULT documents=3 complete=1 incomplete=2 dead_letters=4 "
                + "chunks=12 wall_s=17.3 gemini_calls=14 gemini_429=1 tokens_in=1400 tokens_out=1450 cost_usd=0.004045");
        assertThat(summary.allComplete()).isFalse();
        assertThat(summary.resultLine()).matches("RESULT documents=\\d+ complete=\\d+ incomplete=\\d+ "
                + "dead_letters=\\d+ chunks=\\d+ wall_s=\\d+\\.\\d gemini_calls=\\d+ gemini_429=\\d+ "
                + "tokens_in=\\d+ tokens_out=\\d+ cost_usd=\\d+\\.\\d{6}");
    }

    @Test
    void callsAndQuotaRefusalsComeFromTheEmulatorWhenItServed() {
        RunSummary summary = new RunSummary(SUBMITTED, OUTCOMES, 0, 3.0,
                new RunSummary.EmulatorCounts(20, 0));
        assertThat(summary.resultLine()).contains(" gemini_calls=20 gemini_429=0 ");
    }

    @Test
    void tableListsEveryDocumentInSubmissionOrder() {
        String table = new RunSummary(SUBMITTED, OUTCOMES, 0, 1.0, null).table();
        String[] lines = table.split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith("jobId").contains("outcome", "chunks", "time_s");
        assertThat(lines[1]).contains("a.de-1", "a.txt", "COMPLETE", "10", "12.3");
        assertThat(lines[2]).contains("b.de-2", "FAILED");
        assertThat(lines[3]).contains("c.de-3", "c.txt", "NO_STATUS");
    }

    @Test
    void allCompleteOnlyWhenEveryDocumentIs() {
        List<RunSummary.Submitted> one = List.of(new RunSummary.Submitted("a.de-1", "a.txt"));
        assertThat(new RunSummary(one, OUTCOMES, 0, 1.0, null).allComplete()).isTrue();
    }
}
