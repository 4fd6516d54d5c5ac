package io.paralleltranslation.gemini.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PseudoTranslatorTest {
    @Test
    void keepsStructureAndReversesWords() {
        String text = "# Title 1\n\nHello, world! `code`\n\n- item one\n  - nested\n";
        String translated = PseudoTranslator.pseudoTranslate(text, "de");

        assertThat(translated).isEqualTo("[de] # eltiT 1\n\n[de] olleH, dlrow! `edoc`\n\n[de] - meti eno\n[de]   - detsen\n");
        assertThat(PseudoTranslator.original(translated, "de")).isEqualTo(text);
    }

    @Test
    void handlesUnicodeAndEmptyText() {
        assertThat(PseudoTranslator.pseudoTranslate("Grüße 😀 日本語", "en")).isEqualTo("[en] eßürG 😀 語本日");
        assertThat(PseudoTranslator.pseudoTranslate("", "de")).isEmpty();
    }

    @Test
    void tokensRoundUpOverCodePoints() {
        assertThat(Tokens.count("")).isZero();
        assertThat(Tokens.count("abcd")).isEqualTo(1);
        assertThat(Tokens.count("abcde")).isEqualTo(2);
        assertThat(Tokens.count("😀😀😀😀")).isEqualTo(1);
    }
}
