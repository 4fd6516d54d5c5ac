package io.paralleltranslation.operators.gemini;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What one chunk's translation call needs; independent of the Kinesis record's shape. */
public final class TranslationRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String model;
    private final String text;
    private final String previousContext;
    private final String sourceLanguage;
    private final String targetLanguage;
    private final Map<String, String> glossary;

    /**
     * @param model Gemini model id; null means the client's configured default
     * @param previousContext source text before the chunk, may be null or empty
     * @param sourceLanguage may be null (the model detects it)
     * @param glossary may be null
     */
    public TranslationRequest(String model, String text, String previousContext,
            String sourceLanguage, String targetLanguage, Map<String, String> glossary) {
        this.model = model;
        this.text = Objects.requireNonNull(text, "text");
        this.previousContext = previousContext == null ? "" : previousContext;
        this.sourceLanguage = sourceLanguage;
        this.targetLanguage = Objects.requireNonNull(targetLanguage, "targetLanguage");
        this.glossary = glossary == null ? Collections.emptyMap()
                : Collections.unmodifiableMap(new LinkedHashMap<>(glossary));
    }

    public String model() {
        return model;
    }

    public String text() {
        return text;
    }

    public String previousContext() {
        return previousContext;
    }

    public String sourceLanguage() {
        return sourceLanguage;
    }

    public String targetLanguage() {
        return targetLanguage;
    }

    public Map<String, String> glossary() {
        return glossary;
    }

    @Override
    public String toString() {
        return "TranslationRequest{model=" + model + ", " + sourceLanguage + "->" + targetLanguage
                + ", chars=" + text.length() + ", contextChars=" + previousContext.length() + "}";
    }
}
