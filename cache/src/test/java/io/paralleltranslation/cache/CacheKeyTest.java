package io.paralleltranslation.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

    private static CacheKey.Builder base() {
        return CacheKey.builder().model("gemini-2.5-flash").generationSettings("temperature=0.2")
                .promptVersion("p1").sourceLanguage("en").targetLanguage("de")
                .glossary(Map.of("canal", "Kanal")).previousContext("Before.").text("The text.");
    }

    @Test
    void theSameRequestHasTheSameKey() {
        assertThat(base().build()).isEqualTo(base().build());
        assertThat(base().build().hex()).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void everyPartThatDecidesTheAnswerChangesTheKey() {
        Set<CacheKey> keys = new HashSet<>();
        keys.add(base().build());
        for (UnaryOperator<CacheKey.Builder> change : java.util.List.<UnaryOperator<CacheKey.Builder>>of(
                b -> b.model("gemini-2.5-pro"),
                b -> b.generationSettings("temperature=0.3"),
                b -> b.promptVersion("p2"),
                b -> b.sourceLanguage("fr"),
                b -> b.targetLanguage("ja"),
                b -> b.glossary(Map.of("canal", "Graben")),
                b -> b.glossary(null),
                b -> b.previousContext(""),
                b -> b.text("The text!"))) {
            assertThat(keys.add(change.apply(base()).build())).as("a changed part gives a new key").isTrue();
        }
    }

    @Test
    void partsCannotRunIntoEachOther() {
        CacheKey a = base().previousContext("ab").text("c").build();
        CacheKey b = base().previousContext("a").text("bc").build();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void glossaryOrderCountsBecauseThePromptListsItInOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        assertThat(base().glossary(ab).build()).isNotEqualTo(base().glossary(ba).build());
    }

    @Test
    void anUnsetSourceLanguageMeansDetectItLikeAnEmptyOne() {
        assertThat(base().sourceLanguage(null).build()).isEqualTo(base().sourceLanguage("").build());
    }

    @Test
    void requiredPartsAreRequired() {
        assertThatThrownBy(() -> base().model(null).build()).hasMessageContaining("model");
        assertThatThrownBy(() -> base().text(null).build()).hasMessageContaining("text");
    }

    @Test
    void sha256HexIsTheKnownDigest() {
        assertThat(CacheKey.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
