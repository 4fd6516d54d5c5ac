package io.paralleltranslation.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.job.local.PhaseTimes.Phase;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhaseTimesTest {
    @Test
    void lineListsTheKnownPhasesInPipelineOrderAndParsesBack() {
        PhaseTimes times = new PhaseTimes()
                .set(Phase.VISIBLE, 9_000)
                .set(Phase.FIRST_PUT, 1_000)
                .set(Phase.FIRST_CHUNK, 2_500)
                .set(Phase.FIRST_REQUEST, 0);
        assertThat(times.line()).isEqualTo("PHASES first_put=1000 first_chunk=2500 visible=9000");
        assertThat(PhaseTimes.parse(times.line()).line()).isEqualTo(times.line());
    }

    @Test
    void parseSkipsUnknownKeysAndValuesThatAreNotTimes() {
        PhaseTimes times = PhaseTimes.parse("PHASES first_put=1000 later=5 emitted=soon committed=4000");
        assertThat(times.line()).isEqualTo("PHASES first_put=1000 committed=4000");
        assertThat(PhaseTimes.parse(null).line()).isEqualTo("PHASES");
    }

    @Test
    void setIfAbsentKeepsWhatTheRunMeasured() {
        PhaseTimes times = new PhaseTimes().set(Phase.LAST_ANSWER, 7_000);
        times.setIfAbsent(Phase.LAST_ANSWER, 8_000).setIfAbsent(Phase.FIRST_REQUEST, 3_000);
        assertThat(times.line()).isEqualTo("PHASES first_request=3000 last_answer=7000");
    }

    @Test
    void tableGivesSecondsSinceTheFirstPutAndEachStep() {
        String[] rows = new PhaseTimes()
                .set(Phase.FIRST_PUT, 1_000)
                .set(Phase.FIRST_CHUNK, 2_250)
                .set(Phase.COMMITTED, 12_000)
                .table("  ").split("\n");
        assertThat(rows).hasSize(4);
        assertThat(rows[0]).contains("phase", "at_s", "step_s");
        assertThat(rows[1]).startsWith("  first put").contains("0.00").doesNotContain("+");
        assertThat(rows[2]).startsWith("  first chunk at translate").contains("1.25", "+1.25");
        assertThat(rows[3]).startsWith("  committed").contains("11.00", "+9.75");
    }

    @Test
    void withoutTheFirstPutTheTableStillGivesTheSteps() {
        String[] rows = new PhaseTimes().set(Phase.EMITTED, 5_000).set(Phase.VISIBLE, 5_400).table("").split("\n");
        assertThat(rows[1]).contains(" - ");
        assertThat(rows[2]).contains("+0.40");
    }

    @Test
    void aRunsPhasesAreTheFirstAndLastOverItsDocuments() {
        DocumentOutcome a = new DocumentOutcome("a", "a.txt", "COMPLETE", 2, 2, 0, 1, 1, 1, BigDecimal.ZERO);
        a.firstChunkSeenAt = 2_000;
        a.emittedAt = 6_000;
        a.committedAt = 6_500;
        DocumentOutcome b = new DocumentOutcome("b", "b.txt", "COMPLETE", 2, 2, 0, 1, 1, 1, BigDecimal.ZERO);
        b.firstChunkSeenAt = 2_100;
        b.emittedAt = 7_000;
        b.committedAt = 7_200;
        PhaseTimes times = PhaseTimes.of(1_000, 1_300, List.of(a, b), Map.of("a", 6_600L, "b", 7_300L))
                .withRequests(List.of(new long[] {3_000, 1_000}, new long[] {2_900, 3_500}));
        assertThat(times.line()).isEqualTo("PHASES first_put=1000 last_put=1300 first_chunk=2000 first_request=2900 "
                + "last_answer=6400 emitted=7000 committed=7200 visible=7300");
    }

    @Test
    void anEmptyRequestLogLeavesTheGeminiPhasesUnknown() {
        PhaseTimes times = new PhaseTimes().set(Phase.FIRST_PUT, 1).withRequests(List.of());
        assertThat(times.has(Phase.FIRST_REQUEST)).isFalse();
        assertThat(times.has(Phase.LAST_ANSWER)).isFalse();
    }
}
