package io.paralleltranslation.gemini.emulator;

/**
 * The emulator's token count: Google's rule of thumb of about 4 characters per token, rounded up.
 * The translation client's estimate uses the same rule plus a safety margin, so against the
 * emulator its estimate is always at or above what the "server" bills.
 */
public final class Tokens {
    public static final int CHARS_PER_TOKEN = 4;

    private Tokens() {}

    public static int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        int chars = text.codePointCount(0, text.length());
        return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }
}
