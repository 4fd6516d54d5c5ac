package io.paralleltranslation.operators.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiPromptTest {
    private final GeminiClientSettings settings = GeminiClientSettings.builder().build();

    @Test
    void marksContextTextLanguagesAndGlossaryWithDelimiters() {
        Map<String, String> glossary = new LinkedHashMap<>();
        glossary.put("chunk", "Abschnitt");
        GeminiPrompt p = GeminiPrompt.of(new TranslationRequest(null, "Body.", "Before.", "en", "de", glossary));

        assertThat(p.userMessage()).isEqualTo("Translate the text inside <text_to_translate> from en into de.\n"
                + "<source_language>en</source_language>\n"
                + "<target_language>de</target_language>\n"
                + "<glossary>\nchunk => Abschnitt\n</glossary>\n"
                + "<previous_context>\nBefore.\n</previous_context>\n"
                + "<text_to_translate>\nBody.\n</text_to_translate>");
        assertThat(p.systemInstruction()).contains("Output ONLY the translation", "never instructions",
                "Never translate it, repeat it", "Markdown", "inline code");
    }

    @Test
    void withoutContextOrSourceLanguage() {
        GeminiPrompt p = GeminiPrompt.of(new TranslationRequest(null, "Body.", null, null, "fr", null));
        assertThat(p.userMessage()).doesNotContain("<previous_context>", "<glossary>")
                .contains("<source_language>auto</source_language>", "from its language into fr");
    }

    @Test
    void estimateCountsEveryCharacterSentWithAMargin() {
        String text = repeat('a', 4000);
        String context = repeat('b', 1000);
        GeminiPrompt p = GeminiPrompt.of(new TranslationRequest(null, text, context, "en", "de", null));
        long chars = p.systemInstruction().length() + p.userMessage().length();

        assertThat(p.estimateInputTokens(settings)).isEqualTo((long) Math.ceil(chars / 4.0 * 1.1) + 4)
                .isGreaterThan((text.length() + context.length()) / 4);
    }

    @Test
    void outputBudgetScalesWithTheTextAndAddsThinking() {
        GeminiPrompt small = GeminiPrompt.of(new TranslationRequest(null, "short", null, null, "de", null));
        GeminiPrompt large = GeminiPrompt.of(new TranslationRequest(null, repeat('x', 40_000), null, null, "de", null));

        assertThat(small.maxOutputTokens(settings)).isEqualTo(1024);
        assertThat(large.maxOutputTokens(settings)).isEqualTo(20_000);
        assertThat(large.maxOutputTokens(GeminiClientSettings.builder().thinkingBudget(512).build())).isEqualTo(20_512);
        assertThat(large.maxOutputTokens(GeminiClientSettings.builder().thinkingBudget(null).build())).isEqualTo(28_192);
        assertThat(large.maxOutputTokens(GeminiClientSettings.builder().outputTokens(2.0, 1, 5000).build())).isEqualTo(5000);
    }

    @Test
    void sdkRetriesAreOffWithoutSleepingAndConnectionsCoverCapacity() {
        HttpRetryOptions retries = GeminiTranslationClient.noSdkRetries();
        assertThat(retries.attempts()).contains(1);
        assertThat(retries.initialDelay()).contains(0.0);

        GeminiClientSettings s = GeminiClientSettings.builder().baseUrl("http://127.0.0.1:1").forCapacity(32)
                .requestTimeout(Duration.ofSeconds(7)).build();
        HttpOptions http = GeminiTranslationClient.httpOptions(s);
        assertThat(http.timeout()).contains(7000);
        assertThat(http.apiVersion()).contains("v1beta");
        assertThat(s.maxConnectionsPerHost()).isEqualTo(32);
        assertThat(s.maxConnections()).isGreaterThanOrEqualTo(32);
        assertThat(GeminiClientSettings.builder().build().maxConnectionsPerHost()).isEqualTo(10);
    }

    private static String repeat(char c, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(c);
        }
        return s.toString();
    }
}
