package io.paralleltranslation.gemini.emulator;

/**
 * The parts of a translation prompt the emulator reads back out of the user message, by the
 * delimiters documented in {@code docs/gemini.md}:
 * {@code <target_language>..</target_language>}, an optional
 * {@code <previous_context>\n..\n</previous_context>} and the final
 * {@code <text_to_translate>\n..\n</text_to_translate>}. A message without these tags is translated
 * whole, into language {@code xx}.
 */
public final class PromptParts {
    static final String TARGET_OPEN = "<target_language>";
    static final String TARGET_CLOSE = "</target_language>";
    static final String CONTEXT_OPEN = "<previous_context>\n";
    static final String CONTEXT_THEN_TEXT = "\n</previous_context>\n<text_to_translate>\n";
    static final String TEXT_OPEN = "<text_to_translate>\n";
    static final String TEXT_CLOSE = "\n</text_to_translate>";
    static final String UNKNOWN_LANGUAGE = "xx";

    private final String text;
    private final String context;
    private final String targetLanguage;

    private PromptParts(String text, String context, String targetLanguage) {
        this.text = text;
        this.context = context;
        this.targetLanguage = targetLanguage;
    }

    public static PromptParts parse(String userText) {
        String language = between(userText, TARGET_OPEN, TARGET_CLOSE);
        language = language == null || language.trim().isEmpty() ? UNKNOWN_LANGUAGE : language.trim();
        String context = null;
        int textStart = -1;
        int contextOpen = userText.indexOf(CONTEXT_OPEN);
        int textOpen = userText.indexOf(TEXT_OPEN);
        if (contextOpen >= 0 && (textOpen < 0 || contextOpen < textOpen)) {
            int contextEnd = userText.indexOf(CONTEXT_THEN_TEXT, contextOpen + CONTEXT_OPEN.length());
            if (contextEnd >= 0) {
                context = userText.substring(contextOpen + CONTEXT_OPEN.length(), contextEnd);
                textStart = contextEnd + CONTEXT_THEN_TEXT.length();
            }
        }
        if (textStart < 0 && textOpen >= 0) {
            textStart = textOpen + TEXT_OPEN.length();
        }
        int textEnd = userText.lastIndexOf(TEXT_CLOSE);
        if (textStart < 0 || textEnd < textStart) {
            return new PromptParts(userText, context, language);
        }
        return new PromptParts(userText.substring(textStart, textEnd), context, language);
    }

    private static String between(String s, String open, String close) {
        int start = s.indexOf(open);
        if (start < 0) {
            return null;
        }
        int end = s.indexOf(close, start + open.length());
        return end < 0 ? null : s.substring(start + open.length(), end);
    }

    /** The text to translate (the whole message when it carries no tags). */
    public String text() {
        return text;
    }

    /** The previous-context block, or null when the prompt had none. */
    public String context() {
        return context;
    }

    public String targetLanguage() {
        return targetLanguage;
    }
}
