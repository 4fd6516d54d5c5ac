package io.paralleltranslation.gemini.emulator;

/**
 * The emulator's deterministic "translation". Every non-blank line becomes {@code [lang] } followed
 * by the line with each run of letters and digits reversed; whitespace, punctuation and Markdown
 * stay where they were. So the paragraph structure is kept, a test can compute the exact expected
 * output of any chunk, and the transform is its own inverse on the words ({@link #original}).
 */
public final class PseudoTranslator {
    private PseudoTranslator() {}

    public static String pseudoTranslate(String text, String targetLanguage) {
        String prefix = "[" + targetLanguage + "] ";
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length() + lines.length * prefix.length());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            String line = lines[i];
            if (line.trim().isEmpty()) {
                out.append(line);
            } else {
                out.append(prefix).append(reverseWords(line));
            }
        }
        return out.toString();
    }

    /** Recovers the source text from a pseudo-translation (for reading test failures). */
    public static String original(String translated, String targetLanguage) {
        String prefix = "[" + targetLanguage + "] ";
        String[] lines = translated.split("\n", -1);
        StringBuilder out = new StringBuilder(translated.length());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            String line = lines[i];
            out.append(line.startsWith(prefix) ? reverseWords(line.substring(prefix.length())) : line);
        }
        return out.toString();
    }

    static String reverseWords(String line) {
        StringBuilder out = new StringBuilder(line.length());
        StringBuilder word = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            int cp = line.codePointAt(i);
            if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
            } else {
                out.append(word.reverse());
                word.setLength(0);
                out.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return out.append(word.reverse()).toString();
    }
}
