package io.paralleltranslation.job.submit;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a document (plain text or Markdown, any language) into chunks of at most a token budget,
 * estimated at {@value #CHARS_PER_TOKEN} characters (code points) a token.
 *
 * <p>The chunks' texts, concatenated in order, are the document exactly: no character is added,
 * dropped or moved. Cuts fall, in order of preference, after a paragraph (a run of blank lines
 * stays with the paragraph before it), after a sentence (with the spaces that follow it; sentences
 * as {@link BreakIterator} finds them for the locale, so text without spaces such as Chinese or
 * Japanese splits at its own sentence marks), and only for a sentence longer than the budget,
 * between words. A chunk may therefore end with whitespace that is part of the document. Never
 * cut: a word, and a fenced code block ({@code ```} or {@code ~~~}), which, when longer than the
 * budget, becomes a chunk of its own; so does a single word longer than the budget.
 */
public final class Chunker {
    public static final int CHARS_PER_TOKEN = 4;

    private static final Pattern FENCE_OPEN = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*");

    private final int budgetTokens;
    private final Locale locale;

    public Chunker(int budgetTokens, Locale locale) {
        if (budgetTokens < 1) {
            throw new IllegalArgumentException("the chunk budget must be at least 1 token");
        }
        this.budgetTokens = budgetTokens;
        this.locale = locale;
    }

    private static long tokens(long codePoints) {
        return (codePoints + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }

    /** The chunks' [start, end) ranges in the document, in order, covering it without gaps. */
    public List<int[]> split(String document) {
        List<int[]> pieces = new ArrayList<>();
        for (Block block : blocks(document)) {
            if (block.code || fits(document, block.start, block.end)) {
                pieces.add(new int[] {block.start, block.end});
            } else {
                splitSentences(document, block.start, block.end, pieces);
            }
        }
        List<int[]> chunks = new ArrayList<>();
        int start = -1;
        int end = -1;
        long codePoints = 0;
        for (int[] piece : pieces) {
            int pieceCodePoints = document.codePointCount(piece[0], piece[1]);
            if (start >= 0 && tokens(codePoints + pieceCodePoints) <= budgetTokens) {
                end = piece[1];
                codePoints += pieceCodePoints;
            } else {
                if (start >= 0) {
                    chunks.add(new int[] {start, end});
                }
                start = piece[0];
                end = piece[1];
                codePoints = pieceCodePoints;
            }
        }
        if (start >= 0) {
            chunks.add(new int[] {start, end});
        }
        return chunks;
    }

    private boolean fits(String document, int start, int end) {
        return tokens(document.codePointCount(start, end)) <= budgetTokens;
    }

    private void splitSentences(String document, int start, int end, List<int[]> pieces) {
        BreakIterator sentences = BreakIterator.getSentenceInstance(locale);
        sentences.setText(document.substring(start, end));
        int from = 0;
        for (int to = sentences.next(); to != BreakIterator.DONE; to = sentences.next()) {
            if (fits(document, start + from, start + to)) {
                pieces.add(new int[] {start + from, start + to});
            } else {
                splitWords(document, start + from, start + to, pieces);
            }
            from = to;
        }
    }

    private void splitWords(String document, int start, int end, List<int[]> pieces) {
        BreakIterator words = BreakIterator.getWordInstance(locale);
        words.setText(document.substring(start, end));
        int from = 0;
        for (int to = words.next(); to != BreakIterator.DONE; to = words.next()) {
            pieces.add(new int[] {start + from, start + to});
            from = to;
        }
    }

    /** A paragraph with the blank lines after it, or a whole fenced code block. */
    private static final class Block {
        final int start;
        final int end;
        final boolean code;

        Block(int start, int end, boolean code) {
            this.start = start;
            this.end = end;
            this.code = code;
        }
    }

    private static List<Block> blocks(String document) {
        List<int[]> lines = lines(document);
        List<Block> blocks = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            int start = lines.get(i)[0];
            Matcher fence = FENCE_OPEN.matcher(lineText(document, lines.get(i)));
            boolean code = fence.matches();
            if (code) {
                String marker = fence.group(1);
                i++;
                while (i < lines.size() && !closesFence(lineText(document, lines.get(i)), marker)) {
                    i++;
                }
                i = Math.min(i + 1, lines.size());
            } else {
                while (i < lines.size() && !isBlank(document, lines.get(i))
                        && (lines.get(i)[0] == start || !FENCE_OPEN.matcher(lineText(document, lines.get(i))).matches())) {
                    i++;
                }
            }
            while (i < lines.size() && isBlank(document, lines.get(i))) {
                i++;
            }
            int end = i < lines.size() ? lines.get(i)[0] : document.length();
            blocks.add(new Block(start, end, code));
        }
        return blocks;
    }

    private static boolean closesFence(String line, String marker) {
        String trimmed = line.trim();
        return trimmed.length() >= marker.length() && trimmed.charAt(0) == marker.charAt(0)
                && trimmed.chars().allMatch(c -> c == marker.charAt(0));
    }

    /** Each line's [start, end) including its terminator. */
    private static List<int[]> lines(String document) {
        List<int[]> lines = new ArrayList<>();
        int start = 0;
        while (start < document.length()) {
            int newline = document.indexOf('\n', start);
            int end = newline < 0 ? document.length() : newline + 1;
            lines.add(new int[] {start, end});
            start = end;
        }
        return lines;
    }

    private static String lineText(String document, int[] line) {
        String text = document.substring(line[0], line[1]);
        return text.endsWith("\n") ? text.substring(0, text.length() - 1).replace("\r", "") : text;
    }

    private static boolean isBlank(String document, int[] line) {
        return document.substring(line[0], line[1]).trim().isEmpty();
    }

    /** The source text just before {@code start}: at most the token budget, starting at a word. */
    public static String contextBefore(String document, int start, int contextTokens, Locale locale) {
        int from = Math.max(0, start - contextTokens * CHARS_PER_TOKEN);
        if (from > 0) {
            BreakIterator words = BreakIterator.getWordInstance(locale);
            words.setText(document);
            int boundary = words.isBoundary(from) ? from : words.following(from);
            from = boundary == BreakIterator.DONE ? start : Math.min(boundary, start);
        }
        return document.substring(from, start);
    }
}
