package io.paralleltranslation.gemini.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptPartsTest {
    @Test
    void readsTextContextAndLanguage() {
        PromptParts p = PromptParts.parse("Translate...\n<source_language>en</source_language>\n"
                + "<target_language>de</target_language>\n<previous_context>\nctx\n\nmore\n</previous_context>\n"
                + "<text_to_translate>\n\nBody with </previous_context> inside\n\n</text_to_translate>");

        assertThat(p.targetLanguage()).isEqualTo("de");
        assertThat(p.context()).isEqualTo("ctx\n\nmore");
        assertThat(p.text()).isEqualTo("\nBody with </previous_context> inside\n");
    }

    @Test
    void withoutContextOrTags() {
        PromptParts noContext = PromptParts.parse("<target_language>fr</target_language>\n<text_to_translate>\nA\n</text_to_translate>");
        assertThat(noContext.context()).isNull();
        assertThat(noContext.text()).isEqualTo("A");

        PromptParts plain = PromptParts.parse("just some text");
        assertThat(plain.text()).isEqualTo("just some text");
        assertThat(plain.targetLanguage()).isEqualTo("xx");
    }

    @Test
    void faultMarkersAreFoundInText() {
        assertThat(FaultPlan.markerIn("a [[emulator:SAFETY]] b")).isEqualTo(Fault.SAFETY);
        assertThat(FaultPlan.markerIn("[[emulator:nope]] [[emulator:503]]")).isEqualTo(Fault.UNAVAILABLE);
        assertThat(FaultPlan.markerIn("[[emulator:")).isNull();
        assertThat(Fault.byName("drop")).isEqualTo(Fault.DROP_CONNECTION);
        assertThat(Fault.byName("BLOCKED_PROMPT")).isEqualTo(Fault.BLOCKED_PROMPT);
    }

    @Test
    void scriptedFaultsComeBeforeRatesAndMarkersBeforeBoth() {
        FaultPlan plan = new FaultPlan(7).next(2, Fault.INTERNAL).rate(Fault.UNAVAILABLE, 1.0);
        assertThat(plan.pick("x [[emulator:EMPTY]]")).isEqualTo(Fault.EMPTY_CANDIDATES);
        assertThat(plan.pick("x")).isEqualTo(Fault.INTERNAL);
        assertThat(plan.pick("x")).isEqualTo(Fault.INTERNAL);
        assertThat(plan.pick("x")).isEqualTo(Fault.UNAVAILABLE);
        plan.clear();
        assertThat(plan.pick("x")).isNull();
    }
}
