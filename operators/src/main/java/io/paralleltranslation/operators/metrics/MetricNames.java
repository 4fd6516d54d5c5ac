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
    /** Counter: chunks dropped because their job already saw that index. */
    public static final String DUPLICATE_CHUNKS_DROPPED = "duplicateChunksDropped";
    /** Counter: chunks whose totalChunks disagrees with earlier chunks of the job. */
    public static final String DEAD_LETTERS_DEDUP = "deadLettersDedup";

    // Translate.
    /** Meter: chunks translated per second (60 s window). */
    public static final String CHUNKS_TRANSLATED = "chunksTranslated";
    /** Counter: chunks given up on (permanent failure or attempts used up). */
    public static final String CHUNKS_FAILED = "chunksFailed";
    /** Counter: 429 answers from Gemini; with a correct limiter this stays 0. */
    public static final String GEMINI_429 = "gemini429";
    /** Counter: Gemini calls repeated after a retryable outcome. */
    public static final String RETRIES = "retries";
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
    /** Histogram: milliseconds from a document's first chunk seen to its emission. */
    public static final String DOCUMENT_TRANSLATION_MILLIS = "documentTranslationMillis";
    public static final String DOCUMENT_TRANSLATION_MILLIS_P50 = DOCUMENT_TRANSLATION_MILLIS + P50_SUFFIX;
    public static final String DOCUMENT_TRANSLATION_MILLIS_P95 = DOCUMENT_TRANSLATION_MILLIS + P95_SUFFIX;

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
