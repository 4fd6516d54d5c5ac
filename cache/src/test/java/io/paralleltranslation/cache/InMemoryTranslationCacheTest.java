package io.paralleltranslation.cache;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryTranslationCacheTest extends AbstractTranslationCacheTest {

    @Override
    TranslationCache cache(Duration ttl, Clock clock) {
        return new InMemoryTranslationCache(ttl, clock);
    }

    @Test
    void aTimeToLiveMustBePositive() {
        assertThatThrownBy(() -> new InMemoryTranslationCache(Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
