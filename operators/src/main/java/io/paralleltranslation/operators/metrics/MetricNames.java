package io.paralleltranslation.operators.metrics;

/**
 * Names of the metrics the operators register, for the Flink dashboard and, through Managed
 * Service for Apache Flink, CloudWatch. The deployment's alarms and dashboard read these
 * constants, so a rename here reaches them.
 *
 * <p>Managed Flink publishes only metrics registered under the {@value #CLOUDWATCH_GROUP} group
 * (see {@link OperatorMetrics#group}), and only counters, gauges and meters: a histogram stays in
 * the Flink dashboard, so each one also has gauges of recent percentiles ({@link #p50}, {@link #p95}).
 */
public final class MetricNames {

    /** The metric group Managed Flink exports to CloudWatch; it is not itself a dimension. */
    public static final String CLOUDWATCH_GROUP = "kinesisanalytics";

    /** Suffix of the gauge holding a histogram's median over its recent samples. */
    public static final String P50_SUFFIX = "P50";
    /** Suffix of the gauge holding a histogram's 95th percentile over its recent samples. */
    public static final String P95_SUFFIX = "P95";

    // Parse and validate.
    /** Counter: records sent to the dead letters by the parse step. */
    public static final String DEAD_LETTERS_PARSE = "deadLettersParse";

    // Deduplicate.
    /** Counter: chunks dropped because their job already saw that index with the same content. */
    public static final String DUPLICATE_CHUNKS_DROPPED = "duplicateChunksDropped";
    /** Counter: chunks dead-lettered by dedup (totalChunks disagrees, or a conflict). */
    public static final String DEAD_LETTERS_DEDUP = "deadLettersDedup";
    /** Counter: chunks whose index was already accepted with other content (also in deadLettersDedup). */
    public static final String CONFLICTING_CHUNKS = "conflictingChunks";

    // Admission gate.
    /** Gauge: chunks the admission gate holds until the quota can take them (minute pace or the day's reset). */
    public static final String ADMISSION_BACKLOG_CHUNKS = "admissionBacklogChunks";

    // Translate.
    /** Meter: chunks translated per second (60 s window). */
    public static final String CHUNKS_TRANSLATED = "chunksTranslated";
    /** Counter: chunks given up on (permanent failure or attempts used up). */
    public static final String CHUNKS_FAILED = "chunksFailed";
    /** Counter: 429 answers from Gemini; with a correct limiter this stays 0. */
    public static final String GEMINI_429 = "gemini429";
    /** Counter: Gemini calls repeated after a retryable outcome. */
    public static final String RETRIES = "retries";
    /**
     * Counter: grants not sent because they had grown too old to arrive within the limiter's margin,
     * or a pause recorded after them covered the send; their chunks took quota again.
     */
    public static final String GRANTS_NOT_SENT = "grantsNotSent";
    /** Counter: input tokens Gemini reported. */
    public static final String INPUT_TOKENS = "inputTokens";
    /** Counter: output tokens Gemini reported. */
    public static final String OUTPUT_TOKENS = "outputTokens";
    /** Histogram: milliseconds a request waited for its quota share. */
    public static final String QUOTA_WAIT_MILLIS = "quotaWaitMillis";
    public static final String QUOTA_WAIT_MILLIS_P50 = QUOTA_WAIT_MILLIS + P50_SUFFIX;
    public static final String QUOTA_WAIT_MILLIS_P95 = QUOTA_WAIT_MILLIS + P95_SUFFIX;
    /** Histogram: milliseconds of one Gemini call. */
    public static final String GEMINI_LATENCY_MILLIS = "geminiLatencyMillis";
    public static final String GEMINI_LATENCY_MILLIS_P50 = GEMINI_LATENCY_MILLIS + P50_SUFFIX;
    public static final String GEMINI_LATENCY_MILLIS_P95 = GEMINI_LATENCY_MILLIS + P95_SUFFIX;
    /** Gauge: chunks inside the async operator (waiting for quota, calling, or backing off). */
    public static final String CHUNKS_IN_FLIGHT = "chunksInFlight";
    /** Gauge: Gemini calls under way. */
    public static final String REQUESTS_IN_FLIGHT = "requestsInFlight";
    /** Gauge: 1 while the limiter runs on local shares because DynamoDB is unreachable. */
    public static final String LIMITER_FALLBACK_ACTIVE = "limiterFallbackActive";

    // The quota limiter's own signals (ratelimit's LimiterListener): cumulative counts of the
    // limiter this TaskManager's subtasks share, so every subtask of one TaskManager reports the same.
    /** Gauge: DynamoDB calls (writes, reads, probes) of the shared limiter. */
    public static final String LIMITER_STORE_CALLS = "limiterStoreCalls";
    /** Gauge: conditional writes that lost to another writer and were planned again. */
    public static final String LIMITER_CONDITIONAL_FAILURES = "limiterConditionalFailures";
    /** Gauge: grants handed out (through DynamoDB, a lease, or the fallback share). */
    public static final String LIMITER_GRANTED = "limiterGranted";
    /** Gauge: acquires denied (quota spent, paused, or never grantable). */
    public static final String LIMITER_DENIED = "limiterDenied";
    /** Gauge: input tokens reconciled above an exhausted TPM (the estimate was too low). */
    public static final String LIMITER_OVER_DEBIT_TOKENS = "limiterOverDebitTokens";
    /** Gauge: times the limiter entered its fallback share. */
    public static final String LIMITER_FALLBACK_ENTERED = "limiterFallbackEntered";
    /** Gauge: writes DynamoDB throttled (the limiter backed off). */
    public static final String LIMITER_THROTTLED = "limiterThrottled";
    /** Gauge: writes whose answer was lost, found applied by their batch id and counted once. */
    public static final String LIMITER_LOST_RESPONSES_RECOVERED = "limiterLostResponsesRecovered";
    /** Gauge: times a 429 that got through cut the scope's RPM and TPM for every worker. */
    public static final String LIMITER_LIMIT_CUTS = "limiterLimitCuts";
    /** Gauge: grants taken ahead of demand by leases. */
    public static final String LIMITER_LEASED = "limiterLeased";
    // Translation cache (in the translate operator).
    /** Counter: chunks whose translation came from the cache: no quota taken, no call made. */
    public static final String CACHE_HITS = "cacheHits";
    /** Counter: chunks not in the cache, sent to the model. */
    public static final String CACHE_MISSES = "cacheMisses";
    /** Counter: cache opens, lookups and writes that failed (the chunk went to the model anyway). */
    public static final String CACHE_ERRORS = "cacheErrors";
    /** Counter: translations too large for one cache entry even compressed, so not cached. */
    public static final String CACHE_WRITES_SKIPPED = "cacheWritesSkipped";
    /** Counter: Gemini calls the cache saved (one per hit: the successful call it replaces). */
    public static final String GEMINI_CALLS_SAVED = "geminiCallsSaved";

    // Reassemble.
    /** Counter: documents emitted whole. */
    public static final String DOCUMENTS_COMPLETED = "documentsCompleted";
    /** Counter: documents reported with failed chunks. */
    public static final String DOCUMENTS_FAILED = "documentsFailed";
    /** Counter: documents reported incomplete (chunks never put, or the backstop). */
    public static final String DOCUMENTS_INCOMPLETE = "documentsIncomplete";
    /** Counter: FAILED or INCOMPLETE documents reopened by a result that came after their report. */
    public static final String DOCUMENTS_REOPENED = "documentsReopened";
    /** Gauge: chunks accepted by the dedup step without a result yet (queued, waiting for quota, in a call). */
    public static final String BACKLOG_CHUNKS = "backlogChunks";
    /** Gauge: requests left in the quota's current day, as last read (-1: not known yet). */
    public static final String REQUESTS_LEFT_TODAY = "requestsLeftToday";
    /** Counter: second results for a chunk already held. */
    public static final String DUPLICATE_RESULTS_IGNORED = "duplicateResultsIgnored";
    /** Counter: chunk results ignored because their document was already written (COMPLETE). */
    public static final String LATE_RESULTS_DROPPED = "lateResultsDropped";
    /**
     * Counter: estimated Gemini cost of the reported documents in micro-dollars (USD x 1,000,000),
     * the sum of their statuses' {@code estimatedCostUsd}. A counter holds whole numbers.
     */
    public static final String ESTIMATED_COST_MICRO_USD = "estimatedCostMicroUsd";
    /** Histogram: milliseconds from a document's first chunk seen to its emission. */
    public static final String DOCUMENT_TRANSLATION_MILLIS = "documentTranslationMillis";

    private MetricNames() {
    }

    /** The name of the median gauge of histogram {@code histogram}. */
    public static String p50(String histogram) {
        return histogram + P50_SUFFIX;
    }

    /** The name of the 95th-percentile gauge of histogram {@code histogram}. */
    public static String p95(String histogram) {
        return histogram + P95_SUFFIX;
    }
}
