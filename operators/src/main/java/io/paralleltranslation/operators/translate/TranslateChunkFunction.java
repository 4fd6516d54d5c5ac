package io.paralleltranslation.operators.translate;

import io.paralleltranslation.operators.StateLifetimes;
import io.paralleltranslation.operators.gemini.TranslationClient;
import io.paralleltranslation.operators.gemini.TranslationOutcome;
import io.paralleltranslation.operators.gemini.TranslationRequest;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkStatus;
import io.paralleltranslation.operators.records.TranslatedChunk;
import io.paralleltranslation.ratelimit.Acquisition;
import io.paralleltranslation.ratelimit.Grant;
import io.paralleltranslation.ratelimit.QuotaDimension;
import io.paralleltranslation.ratelimit.QuotaLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3: translates one chunk under the global quota, without ever blocking the task thread.
 * Wire it with {@code AsyncDataStream.unorderedWait(chunks, function, timeout, MILLISECONDS,
 * capacity)} (defaults {@link StateLifetimes#BACKSTOP}, above a day so a chunk parked for the daily quota is
 * never timed out by Flink, and {@link #DEFAULT_CAPACITY}).
 *
 * <p>Per chunk: look it up in the translation cache ({@link #withCache}; a hit is the result, with
 * no quota taken and no call made), estimate its input tokens, take them and one request from the
 * {@link QuotaLimiter} (a denial is retried at the limiter's {@code retryAt} on a timer, never by
 * sleeping), call the model, reconcile the grant with the tokens the model counted, and then:
 * <ul>
 *   <li>success: store it in the cache and, without waiting for the store, a SUCCEEDED
 *       {@link TranslatedChunk} (a closing operator waits for its pending stores);</li>
 *   <li>429 ({@code RETRY_AFTER}): pause the whole quota scope ({@code limiter.pushback}) for the
 *       server-given delay, then take quota again and retry;</li>
 *   <li>transient failure ({@code RETRY_BACKOFF}): exponential backoff with full jitter, then take
 *       quota again and retry, up to {@link TranslateSettings#maxAttempts()} calls;</li>
 *   <li>permanent failure, a request that can never fit the quota, exhausted retries, or more
 *       than {@link TranslateSettings#chunkTimeout()} of active work: a FAILED {@link TranslatedChunk}
 *       with the reason. Never an exception: one bad chunk must not restart the job and re-spend
 *       everyone's quota.</li>
 * </ul>
 *
 * <p><b>Parked, not failed.</b> A denial for the day's requests ({@code REQUESTS_PER_DAY}) parks
 * the chunk until the limiter's {@code retryAt}, the next midnight in the quota's zone: no retry is
 * spent and the parked time does not count against the chunk timeout, which bounds active work
 * only (a watchdog on the retry timer). The chunk stays in the async queue, so it is in every
 * checkpoint; with the queue full the source backpressures and the rest of the backlog waits in
 * Kinesis. Wire the operator's own timeout far above a day (the job uses the document backstop), so
 * Flink never times out a parked chunk.
 *
 * <p>Why the retry loop lives here and not in {@code AsyncDataStream.unorderedWaitWithRetry}:
 * every retry must take quota again and wait for a delay that differs per attempt (the limiter's
 * {@code retryAt}, the server's {@code retryDelay}, or a jittered backoff). Flink's
 * {@code AsyncRetryStrategy} computes the delay from the attempt number alone and cannot see the
 * outcome's delay, and its retries are cut short when a bounded input ends. Here each chunk carries
 * its own state machine; the operator's timeout stays a last-resort bound.
 *
 * <p>The client and the limiter are not serializable: they are built in {@link #open} from the
 * serializable factories and closed in {@link #close}, together with the retry timer and send threads.
 */
public class TranslateChunkFunction extends RichAsyncFunction<ChunkRecord, TranslatedChunk> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TranslateChunkFunction.class);

    /** Concurrent chunks per subtask. */
    public static final int DEFAULT_CAPACITY = 10;
    /**
     * A grant sent later than this after the instant it was counted at is not sent but planned
     * again: the limiter's arrival margin (default 1 s) must cover the whole grant-to-arrival
     * spread, and a grant held up (a slow write, a busy machine) would eat it.
     */
    static final Duration MAX_GRANT_AGE = Duration.ofMillis(500);
    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(20);
    /**
     * Threads that send the calls granted on the limiter's thread. Sending builds the request (the
     * chunk and prompt as JSON) before it goes out; on the one retry timer thread the grants of a
     * wave were sent one after the other, the last up to 200 ms after their grant on a busy
     * machine, and one waited past {@link #MAX_GRANT_AGE} and was planned again.
     */
    static final int SEND_THREADS = 4;

    private final TranslationClientFactory clientFactory;
    private final QuotaLimiterFactory limiterFactory;
    private final TranslateSettings settings;
    private final Clock clock;
    private TranslationCacheFactory cacheFactory;
    private CacheKeys cacheKeys;

    private transient TranslationClient client;
    private transient ChunkCache cache;
    private transient QuotaLimiter limiter;
    private transient ScheduledExecutorService timer;
    private transient ExecutorService sender;
    private transient TranslationMetrics metrics;
    private transient Map<ResultFuture<TranslatedChunk>, ChunkTranslation> inFlight;
    private transient AtomicInteger requestsInFlight;
    private transient volatile boolean closed;

    public TranslateChunkFunction(TranslationClientFactory clientFactory, QuotaLimiterFactory limiterFactory,
            TranslateSettings settings) {
        this(clientFactory, limiterFactory, settings, Clock.systemUTC());
    }

    /**
     * @param clock the limiter's clock: its {@code retryAt} instants are read on it. Must be
     *     serializable (the system and fixed clocks are)
     */
    public TranslateChunkFunction(TranslationClientFactory clientFactory, QuotaLimiterFactory limiterFactory,
            TranslateSettings settings, Clock clock) {
        this.clientFactory = clientFactory;
        this.limiterFactory = limiterFactory;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Looks each chunk up in the cache {@code factory} builds before it takes quota, and stores each
     * successful translation there before it goes downstream (see {@link ChunkCache}).
     */
    public TranslateChunkFunction withCache(TranslationCacheFactory factory, CacheKeys keys) {
        this.cacheFactory = factory;
        this.cacheKeys = keys;
        return this;
    }

    @Override
    public void open(OpenContext openContext) {
        closed = false;
        inFlight = new ConcurrentHashMap<>();
        requestsInFlight = new AtomicInteger();
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "translate-retry-timer");
            thread.setDaemon(true);
            return thread;
        });
        sender = Executors.newFixedThreadPool(SEND_THREADS, new ThreadFactory() {
            private final AtomicInteger threads = new AtomicInteger();

            @Override
            public Thread newThread(Runnable runnable) {
                Thread thread = new Thread(runnable, "translate-send-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }
        });
        limiter = limiterFactory.create();
        client = clientFactory.create();
        warmUp();
        cache = ChunkCache.open(cacheFactory, cacheKeys, clock, getRuntimeContext().getMetricGroup());
        metrics = new TranslationMetrics(getRuntimeContext().getMetricGroup(), inFlight::size,
                requestsInFlight::get, limiter::inFallback);
        TranslationMetrics.registerLimiterSignals(getRuntimeContext().getMetricGroup(), limiter);
    }

    /** Before the first grant: a cold client reached Gemini 2-3 s after its grant, warm ones in ms. */
    private void warmUp() {
        try {
            client.warmUp(WARM_UP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Warming up the translation client failed ({}); its first calls may reach the model late",
                    e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (cache != null) {
            // A restart cancels this task too: answers already on their way are paid for, so keep them.
            cache.awaitAnswers(requestsInFlight::get);
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (sender != null) {
            sender.shutdownNow();
        }
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            try {
                if (limiter != null) {
                    limiter.close();
                }
            } finally {
                if (cache != null) {
                    cache.close();
                }
            }
        }
    }

    @Override
    public void asyncInvoke(ChunkRecord chunk, ResultFuture<TranslatedChunk> resultFuture) {
        ChunkTranslation translation = new ChunkTranslation(chunk, resultFuture, clock.millis());
        inFlight.put(resultFuture, translation);
        translation.step(translation::lookUp);
        translation.later(settings.chunkTimeout(), translation::checkActiveTime);
    }

    /** Never throws: a chunk still waiting when the operator's timeout fires fails with that reason. */
    @Override
    public void timeout(ChunkRecord chunk, ResultFuture<TranslatedChunk> resultFuture) {
        ChunkTranslation translation = inFlight.get(resultFuture);
        String reason = "no result within the operator timeout";
        if (translation != null) {
            translation.fail(reason + " (" + translation.geminiCalls + " model calls, " + translation.retries
                    + " retries)");
        } else {
            resultFuture.complete(Collections.singletonList(
                    TranslatedChunk.of(chunk, ChunkStatus.FAILED, reason, clock.millis())));
        }
    }

    TranslationMetrics metrics() {
        return metrics;
    }

    /**
     * One chunk's way through quota, call and retries. Its steps run one after another on the
     * limiter's, the client's, a send or the retry timer's threads, each handing over to the next
     * through a future, the send pool or the timer (which order their memory effects); {@link #done} stops the steps
     * once a result is out, e.g. after a timeout.
     */
    private final class ChunkTranslation {
        final ChunkRecord chunk;
        final ResultFuture<TranslatedChunk> resultFuture;
        final long firstSeenAt;
        final TranslationRequest request;
        final AtomicBoolean done = new AtomicBoolean();
        long estimatedTokens = -1;
        long waitingSince = -1;
        /** Time parked for the daily quota, finished parks only; {@link #parkedSince} is the current one. */
        volatile long parkedMillis;
        volatile long parkedSince = -1;
        volatile int geminiCalls;
        volatile int retries;
        volatile int count429;
        volatile int transientFailures;
        volatile long inputTokens;
        volatile long outputTokens;
        volatile boolean fromCache;

        ChunkTranslation(ChunkRecord chunk, ResultFuture<TranslatedChunk> resultFuture, long firstSeenAt) {
            this.chunk = chunk;
            this.resultFuture = resultFuture;
            this.firstSeenAt = firstSeenAt;
            this.request = new TranslationRequest(chunk.model, chunk.text, chunk.previousContext,
                    chunk.sourceLanguage, chunk.targetLanguage, chunk.glossary);
        }

        /** Runs a step unless the chunk is finished; a bug in a step fails the chunk, not the job. */
        void step(Runnable step) {
            if (done.get() || closed) {
                return;
            }
            try {
                step.run();
            } catch (RuntimeException e) {
                fail("internal error: " + e, e);
            }
        }

        /** A cached translation ends the chunk here: no quota, no call. */
        void lookUp() {
            cache.lookUp(request).whenComplete((hit, error) -> step(() -> {
                if (hit.isPresent()) {
                    fromCache = true;
                    succeed(hit.get().text());
                } else {
                    acquire();
                }
            }));
        }

        void acquire() {
            if (estimatedTokens < 0) {
                estimatedTokens = client.estimateInputTokens(request);
            }
            if (waitingSince < 0) {
                waitingSince = clock.millis();
            }
            CompletableFuture<Acquisition> decided = limiter.acquire(estimatedTokens);
            // Decided later means decided on the limiter's thread, which must not build requests.
            boolean onLimiterThread = !decided.isDone();
            decided.whenComplete((acquisition, error) ->
                    step(() -> onAcquisition(acquisition, error, onLimiterThread)));
        }

        void onAcquisition(Acquisition acquisition, Throwable error, boolean onLimiterThread) {
            if (error != null) {
                retryTransient("quota limiter failed: " + unwrap(error));
            } else if (acquisition.isGranted()) {
                unpark();
                metrics.quotaWaitMillis.update(clock.millis() - waitingSince);
                waitingSince = -1;
                Grant grant = acquisition.grant().get();
                if (onLimiterThread) {
                    // Off the limiter's thread: it decides every grant of this TaskManager.
                    sendOffLimiterThread(grant);
                } else {
                    send(grant);
                }
            } else if (acquisition.isNeverGrantable()) {
                fail("the request (about " + estimatedTokens + " input tokens) can never fit the quota: "
                        + acquisition.limitedBy().map(Enum::name).orElse("unknown limit"));
            } else {
                Instant retryAt = acquisition.retryAt().get();
                if (acquisition.limitedBy().orElse(null) == QuotaDimension.REQUESTS_PER_DAY) {
                    park(retryAt);
                } else {
                    unpark();
                }
                LOG.debug("Chunk {} of document {} waits for quota ({}) until {}", chunk.chunkIndex, chunk.jobId,
                        acquisition.limitedBy().orElse(null), retryAt);
                later(Duration.between(clock.instant(), retryAt), this::acquire);
            }
        }

        /**
         * Sends the call, unless the grant has grown too old to arrive within the limiter's margin
         * or a pause recorded after it was planned covers now: then its tokens go back and the
         * chunk takes quota again (the request stays counted, which only errs on the safe side).
         */
        void send(Grant grant) {
            Instant now = clock.instant();
            Instant paused = limiter.pausedUntil();
            boolean pausedNow = paused.isAfter(now);
            if (pausedNow || Duration.between(grant.grantedAt(), now).compareTo(MAX_GRANT_AGE) > 0) {
                metrics.grantsNotSent.inc();
                LOG.debug("Chunk {} of document {}: grant of {} not sent ({}); taking quota again", chunk.chunkIndex,
                        chunk.jobId, grant.grantedAt(), pausedNow ? "paused until " + paused : "too old");
                limiter.reconcile(grant, 0);
                later(pausedNow ? Duration.between(now, paused) : Duration.ZERO, this::acquire);
                return;
            }
            call(grant);
        }

        void sendOffLimiterThread(Grant grant) {
            try {
                sender.execute(() -> step(() -> send(grant)));
            } catch (RejectedExecutionException e) {
                if (!closed) {
                    throw e;
                }
            }
        }

        void park(Instant until) {
            if (parkedSince < 0) {
                parkedSince = clock.millis();
                LOG.info("Chunk {} of document {} parked until the daily quota resets at {}", chunk.chunkIndex, chunk.jobId,
                        until);
            }
        }

        void unpark() {
            if (parkedSince >= 0) {
                parkedMillis += clock.millis() - parkedSince;
                parkedSince = -1;
            }
        }

        /** The chunk timeout's watchdog: counts active time only, re-checking when parks pushed the deadline out. */
        void checkActiveTime() {
            long now = clock.millis();
            long parked = parkedMillis + (parkedSince >= 0 ? now - parkedSince : 0);
            long left = settings.chunkTimeout().toMillis() - (now - firstSeenAt - parked);
            if (left <= 0) {
                fail("no result within translate.chunk-timeout (" + settings.chunkTimeout() + ") of active work ("
                        + geminiCalls + " model calls, " + retries + " retries)");
            } else {
                later(Duration.ofMillis(left), this::checkActiveTime);
            }
        }

        void call(Grant grant) {
            geminiCalls++;
            requestsInFlight.incrementAndGet();
            long startedAt = clock.millis();
            client.translate(request).whenComplete((outcome, error) -> {
                metrics.geminiLatencyMillis.update(clock.millis() - startedAt);
                step(() -> onOutcome(grant, outcome, error, startedAt));
                if (closed && outcome != null) {
                    // The operator is closing (a cancel or a restart): keep an answer already paid for.
                    cache.store(request, outcome);
                }
                // Only now: a closing operator waits while calls are in flight or their answers unstored.
                requestsInFlight.decrementAndGet();
            });
        }

        void onOutcome(Grant grant, TranslationOutcome outcome, Throwable error, long sentAtMillis) {
            if (error != null) {
                retryTransient("translation client failed: " + unwrap(error));
                return;
            }
            if (outcome.promptTokens() > 0) {
                inputTokens += outcome.promptTokens();
                metrics.inputTokens.inc(outcome.promptTokens());
                limiter.reconcile(grant, outcome.promptTokens()).whenComplete((ignored, e) -> {
                    if (e != null) {
                        LOG.warn("Could not reconcile the quota grant of chunk {} of document {}: {}",
                                chunk.chunkIndex, chunk.jobId, unwrap(e));
                    }
                });
            }
            outputTokens += outcome.candidatesTokens();
            metrics.outputTokens.inc(outcome.candidatesTokens());
            if (outcome.httpStatus() == 429) {
                count429++;
                metrics.count429.inc();
            }
            switch (outcome.kind()) {
                case SUCCESS:
                    // Stored and passed on at once; waiting for the store first protected nothing
                    // and cost each chunk a cache write's round trip before its slot was free. A
                    // result that reached a completed checkpoint is never replayed. Any other is
                    // replayed only after a restart, and this operator closes first, waiting for
                    // its pending stores (ChunkCache#awaitAnswers), so the replay finds the entry.
                    // A process that dies before its store answered loses the entry either way.
                    cache.store(request, outcome);
                    succeed(outcome.text().orElse(""));
                    break;
                case RETRY_AFTER:
                    retryAfter(outcome, Instant.ofEpochMilli(sentAtMillis));
                    break;
                case RETRY_BACKOFF:
                    retryTransient(describe(outcome));
                    break;
                default:
                    fail(describe(outcome));
            }
        }

        /**
         * A per-day refusal pauses until the first midnight (in the quota's zone) after the call was
         * SENT: a call sent before midnight and answered after it must not pause the quota a day.
         */
        void retryAfter(TranslationOutcome outcome, Instant sentAt) {
            if (outcome.httpStatus() != 429) {
                count429++;
                metrics.count429.inc();
            }
            if (count429 > settings.maxQuotaRefusals()) {
                fail("refused for quota " + count429 + " times, last: " + describe(outcome));
                return;
            }
            Instant now = clock.instant();
            Instant until = now.plus(outcome.retryDelay().orElse(Duration.ZERO));
            if (outcome.quotaKind().orElse(null) == TranslationOutcome.QuotaKind.REQUESTS_PER_DAY) {
                Instant dayEnds = limiter.nextDayStart(sentAt);
                until = until.isAfter(dayEnds) ? dayEnds : until;
            }
            Duration delay = Duration.between(now, until).isNegative() ? Duration.ZERO : Duration.between(now, until);
            // A per-minute refusal of a granted call: the scope's limits come down for every worker.
            boolean perMinute = outcome.quotaKind().map(k -> k == TranslationOutcome.QuotaKind.REQUESTS_PER_MINUTE
                    || k == TranslationOutcome.QuotaKind.INPUT_TOKENS_PER_MINUTE).orElse(false);
            (perMinute ? limiter.refusedDespiteGrant(until) : limiter.pushback(until)).whenComplete((ignored, e) -> {
                if (e != null) {
                    LOG.warn("Could not record a quota pushback: {}", unwrap(e));
                }
            });
            LOG.warn("Chunk {} of document {} refused for quota ({}); pausing the quota and retrying in {} ms",
                    chunk.chunkIndex, chunk.jobId, outcome.quotaKind().orElse(null), delay.toMillis());
            countRetry();
            later(delay, this::acquire);
        }

        void retryTransient(String reason) {
            transientFailures++;
            if (transientFailures >= settings.maxAttempts()) {
                fail("gave up after " + transientFailures + " attempts, last: " + reason);
                return;
            }
            long delay = settings.backoffMillis(transientFailures, ThreadLocalRandom.current().nextDouble());
            LOG.warn("Chunk {} of document {} failed transiently ({}); retry {} in {} ms", chunk.chunkIndex, chunk.jobId,
                    reason, transientFailures, delay);
            countRetry();
            later(Duration.ofMillis(delay), this::acquire);
        }

        void countRetry() {
            retries++;
            metrics.retries.inc();
        }

        void later(Duration delay, Runnable next) {
            try {
                timer.schedule(() -> step(next), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                if (!closed) {
                    throw e;
                }
            }
        }

        void succeed(String text) {
            if (finish(ChunkStatus.SUCCEEDED, text)) {
                metrics.chunksTranslated.markEvent();
            }
        }

        void fail(String reason) {
            fail(reason, null);
        }

        /** ERROR: the chunk's translation is given up, so its document will not be written. */
        void fail(String reason, Throwable cause) {
            if (finish(ChunkStatus.FAILED, reason)) {
                metrics.chunksFailed.inc();
                LOG.error("Chunk {} of document {} failed: {}", chunk.chunkIndex, chunk.jobId, reason, cause);
            }
        }

        private boolean finish(ChunkStatus status, String textOrReason) {
            if (closed || !done.compareAndSet(false, true)) {
                return false;
            }
            inFlight.remove(resultFuture);
            TranslatedChunk result = TranslatedChunk.of(chunk, status, textOrReason, firstSeenAt);
            result.geminiCalls = geminiCalls;
            result.retries = retries;
            result.count429 = count429;
            result.inputTokens = inputTokens;
            result.outputTokens = outputTokens;
            result.fromCache = fromCache;
            resultFuture.complete(Collections.singletonList(result));
            return true;
        }
    }

    private static String describe(TranslationOutcome outcome) {
        StringBuilder s = new StringBuilder(outcome.kind().name());
        if (outcome.httpStatus() > 0) {
            s.append(" (HTTP ").append(outcome.httpStatus()).append(')');
        }
        outcome.finishReason().ifPresent(f -> s.append(" finishReason=").append(f));
        if (outcome.reason() != null) {
            s.append(": ").append(outcome.reason());
        }
        return s.toString();
    }

    private static String unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.toString();
    }
}
