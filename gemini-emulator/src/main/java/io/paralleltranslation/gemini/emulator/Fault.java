package io.paralleltranslation.gemini.emulator;

import java.util.Locale;

/**
 * An answer the emulator can force. Each has a marker name: a text to translate containing
 * {@code [[emulator:NAME]]} gets that answer (see {@link FaultPlan}).
 */
public enum Fault {
    /** 500 INTERNAL. */
    INTERNAL("500"),
    /** 503 UNAVAILABLE, "The model is overloaded". */
    UNAVAILABLE("503"),
    /** A normal answer, but only after the configured fault delay (longer than client timeouts). */
    DELAY("DELAY"),
    /** A normal answer after the configured slow delay (within client timeouts: a slow model, not a hung one). */
    SLOW("SLOW"),
    /** The connection closes in the middle of the response body. */
    DROP_CONNECTION("DROP"),
    /** 200 with finishReason SAFETY and no text. */
    SAFETY("SAFETY"),
    /** 200 with finishReason RECITATION and no text. */
    RECITATION("RECITATION"),
    /** 200 with finishReason PROHIBITED_CONTENT and no text. */
    PROHIBITED_CONTENT("PROHIBITED_CONTENT"),
    /** 200 with promptFeedback.blockReason SAFETY and no candidates. */
    BLOCKED_PROMPT("BLOCKED"),
    /** 200 with finishReason MAX_TOKENS and the first half of the translation. */
    MAX_TOKENS("MAX_TOKENS"),
    /** 200 with an empty candidates list and no prompt feedback. */
    EMPTY_CANDIDATES("EMPTY");

    private final String markerName;

    Fault(String markerName) {
        this.markerName = markerName;
    }

    public String markerName() {
        return markerName;
    }

    /** The marker that, inside a text to translate, forces this fault. */
    public String marker() {
        return "[[emulator:" + markerName + "]]";
    }

    /** Accepts the marker name ({@code 503}, {@code BLOCKED}) or the constant name. */
    public static Fault byName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (Fault f : values()) {
            if (f.markerName.equals(n) || f.name().equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + name + "'; known: 500, 503, DELAY, SLOW, DROP, SAFETY,"
                + " RECITATION, PROHIBITED_CONTENT, BLOCKED, MAX_TOKENS, EMPTY");
    }
}
