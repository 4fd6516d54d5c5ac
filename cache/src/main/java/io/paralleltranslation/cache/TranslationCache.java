package io.paralleltranslation.cache;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Translations already paid for, by {@link CacheKey}. Entries live for the cache's time to live
 * from when they were stored; an expired entry is a miss even where the store has not deleted it
 * yet. The first translation stored under a key stays: a later put of the same key does not
 * replace it, so whoever reads a key reads the same bytes. A failed future means the store could
 * not answer; callers treat that as a miss and carry on.
 */
public interface TranslationCache extends AutoCloseable {

    /** What {@link #put} did. */
    enum PutResult {
        STORED,
        /** An entry that has not expired was there already and was kept. */
        ALREADY_PRESENT,
        /** The translation does not fit one entry even compressed; nothing was stored. */
        TOO_LARGE
    }

    CompletableFuture<Optional<CachedTranslation>> get(CacheKey key);

    CompletableFuture<PutResult> put(CacheKey key, CachedTranslation translation);

    /** Releases what the cache owns; by default nothing. */
    @Override
    default void close() {
    }
}
