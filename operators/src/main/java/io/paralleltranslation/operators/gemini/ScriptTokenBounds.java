package io.paralleltranslation.operators.gemini;

/**
 * Upper bounds of the input tokens Gemini bills per character, by script. The old rule (4
 * characters a token) holds for Latin text but is 2-4 times low for scripts its tokenizer splits
 * finer: a Han, kana or Hangul character is about one token, Thai and Indic scripts (with their
 * combining marks) about one per two characters. Over-estimating only holds quota a little longer
 * (the reconcile gives it back); under-estimating lets a minute exceed TPM.
 */
public final class ScriptTokenBounds {
    /** Scripts whose characters cost alike. */
    public enum Script { LATIN, CJK, THAI, INDIC, OTHER }

    static final double CJK_TOKENS_PER_CHAR = 1.0;
    static final double THAI_TOKENS_PER_CHAR = 0.6;
    static final double INDIC_TOKENS_PER_CHAR = 0.6;
    static final double OTHER_TOKENS_PER_CHAR = 0.5;

    private ScriptTokenBounds() {}

    /** The class of one code point; spaces, digits and punctuation count with Latin, CJK punctuation with CJK. */
    public static Script of(int codePoint) {
        Character.UnicodeScript script;
        try {
            script = Character.UnicodeScript.of(codePoint);
        } catch (IllegalArgumentException invalid) {
            return Script.OTHER;
        }
        switch (script) {
            case LATIN:
                return Script.LATIN;
            case COMMON:
            case INHERITED:
                // CJK symbols and punctuation, fullwidth forms: a token each, like the text around them.
                return codePoint >= 0x3000 && codePoint <= 0x303F || codePoint >= 0xFF00 && codePoint <= 0xFFEF
                        ? Script.CJK : Script.LATIN;
            case HAN:
            case HIRAGANA:
            case KATAKANA:
            case HANGUL:
            case BOPOMOFO:
                return Script.CJK;
            case THAI:
            case LAO:
            case KHMER:
            case MYANMAR:
                return Script.THAI;
            case DEVANAGARI:
            case BENGALI:
            case GURMUKHI:
            case GUJARATI:
            case ORIYA:
            case TAMIL:
            case TELUGU:
            case KANNADA:
            case MALAYALAM:
            case SINHALA:
                return Script.INDIC;
            default:
                return Script.OTHER;
        }
    }

    /** The upper bound for {@code text}, Latin characters at {@code latinTokensPerChar}. */
    public static double tokens(CharSequence text, double latinTokensPerChar) {
        double tokens = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            switch (of(cp)) {
                case CJK:
                    tokens += CJK_TOKENS_PER_CHAR;
                    break;
                case THAI:
                    tokens += THAI_TOKENS_PER_CHAR;
                    break;
                case INDIC:
                    tokens += INDIC_TOKENS_PER_CHAR;
                    break;
                case OTHER:
                    tokens += OTHER_TOKENS_PER_CHAR;
                    break;
                default:
                    tokens += latinTokensPerChar;
                    break;
            }
        }
        return tokens;
    }

    /**
     * The script of {@code text}: the non-Latin script with the most characters if those make up a
     * tenth of the text or more, else Latin (spaces, digits and punctuation count as Latin).
     */
    public static Script dominant(CharSequence text) {
        int[] counts = new int[Script.values().length];
        int total = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            counts[of(cp).ordinal()]++;
            total++;
        }
        Script best = Script.LATIN;
        for (Script s : Script.values()) {
            if (s != Script.LATIN && counts[s.ordinal()] * 10 >= total && counts[s.ordinal()] > 0
                    && (best == Script.LATIN || counts[s.ordinal()] > counts[best.ordinal()])) {
                best = s;
            }
        }
        return best;
    }
}
