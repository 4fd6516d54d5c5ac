package io.paralleltranslation.operators.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.gemini.emulator.Tokens;
import io.paralleltranslation.operators.gemini.ScriptTokenBounds.Script;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScriptTokenBoundsTest {
    private static final double LATIN = 1.1 / 4;
    private final GeminiClientSettings settings = GeminiClientSettings.builder().build();

    @Test
    void eachScriptHasItsOwnBound() {
        assertThat(ScriptTokenBounds.tokens("abcd", LATIN)).isEqualTo(4 * LATIN);
        assertThat(ScriptTokenBounds.tokens("風の手紙。", LATIN)).isEqualTo(5.0);
        assertThat(ScriptTokenBounds.tokens("한국어", LATIN)).isEqualTo(3.0);
        assertThat(ScriptTokenBounds.tokens("ภาษาไทย", LATIN)).isEqualTo(7 * 0.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ScriptTokenBounds.tokens("हिन्दी", LATIN)).isEqualTo(6 * 0.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ScriptTokenBounds.tokens("Привет", LATIN)).isEqualTo(6 * 0.5);
        assertThat(ScriptTokenBounds.dominant("Hello, world.")).isEqualTo(Script.LATIN);
        assertThat(ScriptTokenBounds.dominant("山のふもとの小さな村 (village)")).isEqualTo(Script.CJK);
        assertThat(ScriptTokenBounds.dominant("สวัสดี")).isEqualTo(Script.THAI);
        assertThat(ScriptTokenBounds.dominant("नमस्ते दुनिया")).isEqualTo(Script.INDIC);
    }

    /**
     * Every sample, and a Japanese document, estimated at or above what the emulator bills (about
     * 4 characters a token, whatever the script); Japanese at about a token a character, where the
     * old rule gave a quarter of that.
     */
    @Test
    void theSamplesAndAJapaneseDocumentAreEstimatedAsUpperBounds() throws Exception {
        try (Stream<Path> samples = Files.list(Paths.get("..", "samples"))) {
            for (Path sample : (Iterable<Path>) samples::iterator) {
                String text = new String(Files.readAllBytes(sample), StandardCharsets.UTF_8);
                GeminiPrompt prompt = GeminiPrompt.of(new TranslationRequest(null, text, "", "auto", "de", null));
                long billedByEmulator = Tokens.count(prompt.systemInstruction()) + Tokens.count(prompt.userMessage());
                assertThat(prompt.estimateInputTokens(settings)).as("%s", sample).isGreaterThanOrEqualTo(billedByEmulator);
            }
        }
        String japanese = new String(Files.readAllBytes(Paths.get("..", "samples", "kaze-no-tegami.ja.txt")),
                StandardCharsets.UTF_8);
        GeminiPrompt prompt = GeminiPrompt.of(new TranslationRequest(null, japanese, "", "ja", "en", null));
        long textChars = japanese.codePoints().filter(cp -> !Character.isWhitespace(cp)).count();
        assertThat(prompt.script()).isEqualTo(Script.CJK);
        assertThat(prompt.estimateInputTokens(settings) - GeminiPrompt.of(
                new TranslationRequest(null, "", "", "ja", "en", null)).estimateInputTokens(settings))
                .isGreaterThanOrEqualTo(textChars);
    }

    @Test
    void theCorrectionLearnsTheRatioPerScriptAndKeepsHeadroom() {
        TokenEstimateCorrection correction = new TokenEstimateCorrection();
        for (int i = 0; i < TokenEstimateCorrection.MIN_SAMPLES - 1; i++) {
            correction.observe(Script.CJK, 1_000, 400);
        }
        assertThat(correction.corrected(Script.CJK, 1_000)).as("too few answers yet").isEqualTo(1_000);
        correction.observe(Script.CJK, 1_000, 500);
        assertThat(correction.corrected(Script.CJK, 1_000)).as("the largest ratio plus a tenth").isEqualTo(550);
        assertThat(correction.corrected(Script.LATIN, 1_000)).as("learned per script").isEqualTo(1_000);
        for (int i = 0; i < TokenEstimateCorrection.WINDOW; i++) {
            correction.observe(Script.THAI, 100, 150);
        }
        assertThat(correction.corrected(Script.THAI, 100)).as("a bound found too low is raised").isEqualTo(165);
    }
}
