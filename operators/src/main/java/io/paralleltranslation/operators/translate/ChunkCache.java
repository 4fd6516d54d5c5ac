package io.paralleltranslation.operators.translate;

import io.paralleltranslation.cache.CacheKey;
import io.paralleltranslation.cache.CachedTranslation;
import io.paralleltranslation.cache.TranslationCache;
import io.paralleltranslation.operators.gemini.TranslationOutcome;
import io.paralleltranslation.operators.gemini.TranslationRequest;
import io.paralleltranslation.operators.metrics.MetricNames;
import io.paralleltranslation.operators.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The translate operator's use of the translation cache: looked up before a chunk takes quota,
 * written after a successful call and before the result goes downstream. It never fails a chunk:
 * a cache that cannot be built, read or written is logged at WARN, counted in
 * {@link MetricNames#CACHE_ERRORS}, and the chunk goes to the model as if the cache were not there.
 * Its futures always complete normally. When the operator closes (a cancel, or a restart after a
 * failure elsewhere), answers of calls already made are still stored, within {@link #CLOSE_GRACE}.
 */
final class ChunkCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkCache.class);
    /**
     * How long a closing operator waits for calls in flight to answer: bounded, because a restart
     * waits for it; a call slower than that is paid again after the restore.
     */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final long WAIT_STEP_NANOS = Duration.ofMillis(20).toNanos();

    private final TranslationCache cache;
    private final CacheKeys keys;
    private final Clock clock;
    private final Counter hits;
    private final Counter misses;
    private final Counter errors;
    private final Counter writesSkipped;
    private final Counter callsSaved;
    private final AtomicInteger pendingStores = new AtomicInteger();

    private ChunkCache(TranslationCache cache, CacheKeys keys, Clock clock, MetricGroup operatorGroup) {
        this.cache = cache;
        this.keys = keys;
        this.clock = clock;
        MetricGroup group = OperatorMetrics.group(operatorGroup);
        hits = group.counter(MetricNames.CACHE_HITS, new ThreadSafeSimpleCounter());
        misses = group.counter(MetricNames.CACHE_MISSES, new ThreadSafeSimpleCounter());
        errors = group.counter(MetricNames.CACHE_ERRORS, new ThreadSafeSimpleCounter());
        writesSkipped = group.counter(MetricNames.CACHE_WRITES_SKIPPED, new ThreadSafeSimpleCounter());
        callsSaved = group.counter(MetricNames.GEMINI_CALLS_SAVED, new ThreadSafeSimpleCounter());
    }

    /** The cache {@code factory} builds, or a cache that always misses when {@code factory} is null or fails. */
    static ChunkCache open(TranslationCacheFactory factory, CacheKeys keys, Clock clock, MetricGroup operatorGroup) {
        TranslationCache cache = null;
        boolean failed = false;
        if (factory != null) {
            try {
                cache = factory.create();
            } catch (Exception e) {
                failed = true;
                LOG.warn("The translation cache could not be opened; every chunk goes to the model: {}", e.toString());
            }
        }
        ChunkCache chunkCache = new ChunkCache(cache, keys, clock, operatorGroup);
        if (failed) {
            chunkCache.errors.inc();
        }
        return chunkCache;
    }

    /** The cached translation of {@code request}, or empty (a miss, no cache, or a cache error). */
    CompletableFuture<Optional<CachedTranslation>> lookUp(TranslationRequest request) {
        if (cache == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        try {
            return cache.get(keys.keyOf(request)).handle((found, error) -> {
                if (error != null) {
                    errors.inc();
                    LOG.warn("Translation cache lookup failed; calling the model: {}", unwrap(error));
                    return Optional.<CachedTranslation>empty();
                }
                if (found.isPresent()) {
                    hits.inc();
                    callsSaved.inc();
                } else {
                    misses.inc();
                }
                return found;
            });
        } catch (RuntimeException e) {
            errors.inc();
            LOG.warn("Translation cache lookup failed; calling the model: {}", e.toString());
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    /** Stores a successful outcome; completes when the store answered (or failed, logged). */
    CompletableFuture<Void> store(TranslationRequest request, TranslationOutcome outcome) {
        if (cache == null || !outcome.isSuccess()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            CacheKey key = keys.keyOf(request);
            CachedTranslation value = new CachedTranslation(outcome.text().orElse(""), outcome.promptTokens(),
                    outcome.candidatesTokens(), outcome.finishReason().orElse(null),
                    outcome.modelVersion() != null ? outcome.modelVersion() : keys.modelOf(request), clock.instant());
            CompletableFuture<TranslationCache.PutResult> put;
            pendingStores.incrementAndGet();
            try {
                put = cache.put(key, value);
            } catch (RuntimeException e) {
                pendingStores.decrementAndGet();
                throw e;
            }
            return put.handle((result, error) -> {
                pendingStores.decrementAndGet();
                if (error != null) {
                    errors.inc();
                    LOG.warn("Could not store a translation in the cache (a replay would pay for it again): {}",
                            unwrap(error));
                } else if (result == TranslationCache.PutResult.TOO_LARGE) {
                    writesSkipped.inc();
                    LOG.warn("A translation of {} chars is too large for the cache even compressed; not cached",
                            value.text().length());
                }
                return null;
            });
        } catch (RuntimeException e) {
            errors.inc();
            LOG.warn("Could not store a translation in the cache: {}", e.toString());
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Waits, at most {@link #CLOSE_GRACE}, for the calls still in flight to answer and for their
     * answers to be stored (the operator stores the answers that arrive after it began to close). Called from the closing task thread; a cancel interrupts it, which must
     * not cut the wait short (the bound does), so the interrupt is kept for after it.
     */
    void awaitAnswers(IntSupplier callsInFlight) {
        if (cache == null) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        boolean interrupted = false;
        while ((callsInFlight.getAsInt() > 0 || pendingStores.get() > 0) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(WAIT_STEP_NANOS);
            interrupted |= Thread.interrupted();
        }
        if (callsInFlight.getAsInt() > 0 || pendingStores.get() > 0) {
            LOG.warn("Closing with {} calls unanswered and {} cache writes pending after {}: a replay pays for them"
                    + " again", callsInFlight.getAsInt(), pendingStores.get(), CLOSE_GRACE);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
    }

    private static String unwrap(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.toString();
    }
}
