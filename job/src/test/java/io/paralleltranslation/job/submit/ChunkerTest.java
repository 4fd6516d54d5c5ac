package io.paralleltranslation.job.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    /** Estimated tokens of a text, as the chunker counts its budget: code points over 4, rounded up. */
    static int estimateTokens(CharSequence text) {
        return (Character.codePointCount(text, 0, text.length()) + Chunker.CHARS_PER_TOKEN - 1) / Chunker.CHARS_PER_TOKEN;
    }

    @Test
    void concatenationOfTheChunksIsTheDocumentAndEveryChunkFits() {
        StringBuilder doc = new StringBuilder();
        for (int p = 0; p < 40; p++) {
            doc.append("Paragraph ").append(p).append(". It has two sentences, this is the second one.\n\n");
        }
        List<String> chunks = Submissions.chunkTexts(new Chunker(30, Locale.ENGLISH), doc.toString());

        assertThat(String.join("", chunks)).isEqualTo(doc.toString());
        assertThat(chunks).hasSizeGreaterThan(1).allMatch(c -> estimateTokens(c) <= 30);
    }

    @Test
    void cutsAfterParagraphsWhenParagraphsFit() {
        String doc = "First paragraph here.\n\nSecond paragraph here.\n\n\nThird paragraph here.\n";
        // Each paragraph is 6-7 tokens; a budget of 8 holds one paragraph, never two.
        List<String> chunks = Submissions.chunkTexts(new Chunker(8, Locale.ENGLISH), doc);

        assertThat(chunks).containsExactly("First paragraph here.\n\n", "Second paragraph here.\n\n\n",
                "Third paragraph here.\n");
    }

    @Test
    void packsSeveralParagraphsIntoOneChunk() {
        String doc = "One.\n\nTwo.\n\nThree.";
        assertThat(Submissions.chunkTexts(new Chunker(3_500, Locale.ROOT), doc)).containsExactly(doc);
    }

    @Test
    void splitsALongParagraphAtSentences() {
        String doc = "The cat sat on the mat. The dog lay on the rug. The bird sang in the tree.";
        List<String> chunks = Submissions.chunkTexts(new Chunker(7, Locale.ENGLISH), doc);

        assertThat(chunks).containsExactly("The cat sat on the mat. ", "The dog lay on the rug. ",
                "The bird sang in the tree.");
    }

    @Test
    void splitsChineseWithoutSpacesAtItsSentenceMarks() {
        String doc = "今天天气很好。我们去公园散步吧。公园里有很多花。孩子们在草地上玩耍。";
        List<String> chunks = Submissions.chunkTexts(new Chunker(3, Locale.CHINESE), doc);

        assertThat(String.join("", chunks)).isEqualTo(doc);
        assertThat(chunks).hasSize(4).allMatch(c -> c.endsWith("。"));
    }

    @Test
    void splitsJapaneseSentencesToo() {
        String doc = "これは最初の文です。これは二番目の文です！三番目の文ですか？";
        List<String> chunks = Submissions.chunkTexts(new Chunker(3, Locale.JAPANESE), doc);

        assertThat(chunks).containsExactly("これは最初の文です。", "これは二番目の文です！", "三番目の文ですか？");
    }

    @Test
    void cutsAnOverlongSentenceBetweenWordsNeverInsideOne() {
        String doc = "supercalifragilistic expialidocious antidisestablishmentarianism pneumonoultramicroscopic";
        List<String> chunks = Submissions.chunkTexts(new Chunker(8, Locale.ENGLISH), doc);

        assertThat(String.join("", chunks)).isEqualTo(doc);
        assertThat(chunks).hasSizeGreaterThan(1);
        for (String chunk : chunks) {
            for (String word : chunk.trim().split(" ")) {
                assertThat(doc.split(" ")).contains(word);
            }
        }
    }

    @Test
    void keepsAFencedCodeBlockWholeEvenWhenLongerThanTheBudget() {
        StringBuilder code = new StringBuilder("```java\n");
        for (int i = 0; i < 30; i++) {
            code.append("int x").append(i).append(" = ").append(i).append(";\n");
        }
        code.append("\n// a blank line inside the block\n```\n\n");
        String doc = "Intro paragraph.\n\n" + code + "Outro paragraph.\n";
        List<String> chunks = Submissions.chunkTexts(new Chunker(20, Locale.ENGLISH), doc);

        assertThat(chunks).containsExactly("Intro paragraph.\n\n", code.toString(), "Outro paragraph.\n");
    }

    @Test
    void anUnclosedFenceRunsToTheEndOfTheDocument() {
        String doc = "Text.\n\n~~~\ncode\n\nmore code\n";
        assertThat(Submissions.chunkTexts(new Chunker(2, Locale.ROOT), doc)).containsExactly("Text.\n\n", "~~~\ncode\n\nmore code\n");
    }

    @Test
    void keepsCrlfLineEndings() {
        String doc = "Para one.\r\n\r\nPara two.\r\n";
        List<String> chunks = Submissions.chunkTexts(new Chunker(4, Locale.ROOT), doc);

        assertThat(chunks).containsExactly("Para one.\r\n\r\n", "Para two.\r\n");
    }

    @Test
    void aMixedMarkdownDocumentInManyScriptsRoundTripsAtEveryBudget() {
        StringBuilder doc = new StringBuilder("# Titre\n\n");
        String[] sentences = {"Ceci est une phrase. ", "这是一个句子。", "هذه جملة. ", "Это предложение! ",
            "これは文です。", "😀 emoji sentence? ", "Grüße aus Köln. "};
        for (int p = 0; p < 200; p++) {
            for (int s = 0; s <= p % 9; s++) {
                doc.append(sentences[(p + s) % sentences.length]);
            }
            doc.append(p % 17 == 0 ? "\n\n```\ncode " + p + "\n\n  indented\n```\n\n" : "\n\n");
        }
        doc.append(new String(new char[2_000]).replace('\0', 'x')).append(" end");
        for (int budget : new int[] {1, 5, 20, 100, 3_500}) {
            List<String> chunks = Submissions.chunkTexts(new Chunker(budget, Locale.ROOT), doc.toString());
            assertThat(String.join("", chunks)).as("budget %d", budget).isEqualTo(doc.toString());
            for (String chunk : chunks) {
                boolean wholeUnit = chunk.contains("```") || chunk.trim().indexOf(' ') < 0;
                assertThat(wholeUnit || estimateTokens(chunk) <= budget).as("budget %d: %s", budget, chunk)
                        .isTrue();
                assertThat(Character.isLowSurrogate(chunk.charAt(0))).isFalse();
            }
        }
    }

    @Test
    void previousContextIsTheTextJustBeforeStartingAtAWord() {
        String doc = "alpha beta gamma delta epsilon";
        int start = doc.indexOf("epsilon");

        // 3 tokens are 12 characters: "gamma delta " exactly; 2 tokens would start inside "gamma".
        assertThat(Chunker.contextBefore(doc, start, 3, Locale.ENGLISH)).isEqualTo("gamma delta ");
        assertThat(Chunker.contextBefore(doc, start, 2, Locale.ENGLISH)).isEqualTo(" delta ");
        assertThat(Chunker.contextBefore(doc, start, 100, Locale.ENGLISH)).isEqualTo("alpha beta gamma delta ");
        assertThat(Chunker.contextBefore(doc, 0, 100, Locale.ENGLISH)).isEmpty();
    }
}
