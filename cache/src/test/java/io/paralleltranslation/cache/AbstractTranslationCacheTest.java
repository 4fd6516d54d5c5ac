package io.paralleltranslation.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.cache.TranslationCache.PutResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link TranslationCache} keeps; run against each implementation. */
abstract class AbstractTranslationCacheTest {
    static final Duration TTL = Duration.ofDays(7);
    static final Instant NOON = Instant.parse("2026-06-01T12:00:00Z");

    final MutableClock clock = new MutableClock(NOON);
    private TranslationCache cache;
    private int keys;

    /** A cache with time to live {@code ttl} reading time from {@code clock}, empty for this test's keys. */
    abstract TranslationCache cache(Duration ttl, Clock clock) throws Exception;

    @BeforeEach
    void newCache() throws Exception {
        cache = cache(TTL, clock);
    }

    /** A key no other test (or earlier run against the same store) uses. */
    CacheKey freshKey() {
        return CacheKey.builder().model("gemini-2.5-flash").generationSettings("t=0.2").promptVersion("p1")
                .targetLanguage("de").text(getClass().getName() + " " + System.nanoTime() + " " + keys++).build();
    }

    static CachedTranslation translation(String text) {
        return new CachedTranslation(text, 120, 140, "STOP", "gemini-2.5-flash-001", NOON.minusSeconds(5));
    }

    private Optional<CachedTranslation> get(CacheKey key) throws Exception {
        return cache.get(key).get(20, TimeUnit.SECONDS);
    }

    private PutResult put(CacheKey key, CachedTranslation t) throws Exception {
        return cache.put(key, t).get(20, TimeUnit.SECONDS);
    }

    @Test
    void anUnknownKeyIsAMiss() throws Exception {
        assertThat(get(freshKey())).isEmpty();
    }

    @Test
    void aStoredTranslationComesBackWhole() throws Exception {
        CacheKey key = freshKey();
        CachedTranslation t = translation("Grüße aus 東京 — «ça va»\n\nzweiter Absatz  ");
        assertThat(put(key, t)).isEqualTo(PutResult.STORED);
        assertThat(get(key)).contains(t);
    }

    @Test
    void optionalFieldsMayBeAbsent() throws Exception {
        CacheKey key = freshKey();
        CachedTranslation t = new CachedTranslation("", 0, 0, null, null, NOON);
        put(key, t);
        assertThat(get(key)).contains(t);
    }

    @Test
    void aLargeTranslationIsKeptExactly() throws Exception {
        // ~600 KB of UTF-8: above one DynamoDB item uncompressed, well below compressed.
        StringBuilder text = new StringBuilder();
        Random random = new Random(7);
        while (text.length() < 200_000) {
            text.append("翻訳されたテキスト ").append(random.nextInt(100)).append(". ");
        }
        CacheKey key = freshKey();
        CachedTranslation t = translation(text.toString());
        assertThat(put(key, t)).isEqualTo(PutResult.STORED);
        assertThat(get(key)).contains(t);
    }

    @Test
    void aTranslationTooLargeEvenCompressedIsRefusedAndNotStored() throws Exception {
        String incompressible = incompressible(560 * 1024);
        CacheKey key = freshKey();
        assertThat(put(key, translation(incompressible))).isEqualTo(PutResult.TOO_LARGE);
        assertThat(get(key)).isEmpty();
    }

    /**
     * The largest entry the cache takes: gzip of (nearly) incompressible text just under
     * {@link StoredText#MAX_STORED_BYTES}, so the key and the other attributes must still fit the
     * 400 KB item that DynamoDB (and dynalite) enforce.
     */
    @Test
    void aTranslationJustBelowTheLimitCompressedIsStoredWhole() throws Exception {
        String text = incompressible(500 * 1024);
        StoredText stored = StoredText.of(text);
        assertThat(stored).isNotNull();
        assertThat(stored.gzip().length).as("compressed size").isBetween(StoredText.MAX_STORED_BYTES - 16 * 1024,
                StoredText.MAX_STORED_BYTES);
        CacheKey key = freshKey();
        CachedTranslation t = translation(text);
        assertThat(put(key, t)).isEqualTo(PutResult.STORED);
        assertThat(get(key)).contains(t);
    }

    /** Base64 of seeded random bytes, {@code chars} long: gzip saves only ~25% on it. */
    static String incompressible(int chars) {
        byte[] noise = new byte[chars * 3 / 4];
        new Random(chars).nextBytes(noise);
        return java.util.Base64.getEncoder().encodeToString(noise);
    }

    @Test
    void theFirstTranslationOfAKeyStays() throws Exception {
        CacheKey key = freshKey();
        put(key, translation("first"));
        assertThat(put(key, translation("second"))).isEqualTo(PutResult.ALREADY_PRESENT);
        assertThat(get(key).map(CachedTranslation::text)).contains("first");
    }

    @Test
    void concurrentPutsOfOneKeyStoreExactlyOne() throws Exception {
        CacheKey key = freshKey();
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            puts.add(cache.put(key, translation("writer " + i)));
        }
        List<PutResult> results = new ArrayList<>();
        for (CompletableFuture<PutResult> p : puts) {
            results.add(p.get(20, TimeUnit.SECONDS));
        }
        assertThat(results).containsOnlyOnce(PutResult.STORED);
        assertThat(get(key).map(CachedTranslation::text).orElseThrow()).startsWith("writer ");
    }

    @Test
    void anEntryExpiresAfterItsTimeToLiveAndCanBeStoredAgain() throws Exception {
        CacheKey key = freshKey();
        put(key, translation("old"));
        clock.advance(TTL.minusSeconds(2));
        assertThat(get(key)).isPresent();
        clock.advance(Duration.ofSeconds(3));
        assertThat(get(key)).isEmpty();
        assertThat(put(key, translation("new"))).isEqualTo(PutResult.STORED);
        assertThat(get(key).map(CachedTranslation::text)).contains("new");
    }

    @Test
    void differentKeysDoNotMix() throws Exception {
        CacheKey a = freshKey();
        CacheKey b = freshKey();
        put(a, translation("a"));
        put(b, translation("b"));
        assertThat(get(a).map(CachedTranslation::text)).contains("a");
        assertThat(get(b).map(CachedTranslation::text)).contains("b");
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private final AtomicLong millis;

        MutableClock(Instant start) {
            millis = new AtomicLong(start.toEpochMilli());
        }

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static Map<String, String> glossary(String... pairs) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
