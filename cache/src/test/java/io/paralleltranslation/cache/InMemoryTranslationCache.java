package io.paralleltranslation.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The cache in this JVM's memory: the contract suite's twin of the DynamoDB cache. It keeps every
 * entry until it expires and is read or replaced; nothing evicts it earlier, so it is not meant
 * for long runs of large documents. It refuses what the DynamoDB cache could not store, so both
 * behave alike.
 */
public final class InMemoryTranslationCache implements TranslationCache {
    private final ConcurrentMap<CacheKey, Entry> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    public InMemoryTranslationCache(Duration ttl, Clock clock) {
        this.ttl = DynamoDbTranslationCache.positive(ttl);
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Optional<CachedTranslation>> get(CacheKey key) {
        Entry entry = entries.get(key);
        if (entry == null || entry.expiredAt(clock.instant())) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.completedFuture(Optional.of(entry.translation));
    }

    @Override
    public CompletableFuture<PutResult> put(CacheKey key, CachedTranslation translation) {
        if (StoredText.of(translation.text()) == null) {
            return CompletableFuture.completedFuture(PutResult.TOO_LARGE);
        }
        Instant now = clock.instant();
        Entry fresh = new Entry(translation, now.plus(ttl));
        boolean[] stored = {false};
        entries.compute(key, (k, existing) -> {
            if (existing != null && !existing.expiredAt(now)) {
                return existing;
            }
            stored[0] = true;
            return fresh;
        });
        return CompletableFuture.completedFuture(stored[0] ? PutResult.STORED : PutResult.ALREADY_PRESENT);
    }

    private static final class Entry {
        final CachedTranslation translation;
        final Instant expiresAt;

        Entry(CachedTranslation translation, Instant expiresAt) {
            this.translation = translation;
            this.expiresAt = expiresAt;
        }

        boolean expiredAt(Instant now) {
            return !now.isBefore(expiresAt);
        }
    }
}
