package io.paralleltranslation.operators.translate;

import io.paralleltranslation.cache.CacheKey;
import io.paralleltranslation.operators.gemini.GeminiClientSettings;
import io.paralleltranslation.operators.gemini.GeminiPrompt;
import io.paralleltranslation.operators.gemini.TranslationRequest;
import java.io.Serializable;
import java.util.Map;

/**
 * The cache key of a chunk's request: the model it goes to (a request without one goes to the
 * client's default), the client settings that change the answer (temperature, thinking budget),
 * the prompt template's version and the request's languages, glossary, context and text.
 */
public final class CacheKeys implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The hash of the prompt rendered for a fixed request: any change to the system instruction or
     * to the template's tags and order changes it, so old answers are never served for a new prompt.
     */
    static final String PROMPT_VERSION = promptVersion();

    private final String defaultModel;
    private final String generationSettings;

    CacheKeys(String defaultModel, String generationSettings) {
        this.defaultModel = defaultModel;
        this.generationSettings = generationSettings;
    }

    /** The keys of requests the client built from {@code settings} answers. */
    public static CacheKeys of(GeminiClientSettings settings) {
        return new CacheKeys(settings.defaultModel(), "temperature=" + settings.temperature() + ";thinkingBudget="
                + settings.thinkingBudget());
    }

    String modelOf(TranslationRequest request) {
        return request.model() == null || request.model().trim().isEmpty() ? defaultModel : request.model().trim();
    }

    CacheKey keyOf(TranslationRequest request) {
        return CacheKey.builder()
                .model(modelOf(request))
                .generationSettings(generationSettings)
                .promptVersion(PROMPT_VERSION)
                .sourceLanguage(request.sourceLanguage() == null ? null : request.sourceLanguage().trim())
                .targetLanguage(request.targetLanguage().trim())
                .glossary(request.glossary())
                .previousContext(request.previousContext())
                .text(request.text())
                .build();
    }

    private static String promptVersion() {
        GeminiPrompt probe = GeminiPrompt.of(new TranslationRequest(null, "text", "context", "en", "de",
                Map.of("term", "Begriff")));
        return CacheKey.sha256Hex(probe.systemInstruction() + "\u0000" + probe.userMessage()).substring(0, 16);
    }

    @Override
    public String toString() {
        return "CacheKeys{defaultModel=" + defaultModel + ", " + generationSettings + ", prompt=" + PROMPT_VERSION + "}";
    }
}
