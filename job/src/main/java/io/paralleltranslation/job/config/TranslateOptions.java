package io.paralleltranslation.job.config;

import io.paralleltranslation.operators.StateLifetimes;
import io.paralleltranslation.operators.parse.ChunkValidator;
import io.paralleltranslation.operators.translate.TranslateChunkFunction;
import io.paralleltranslation.operators.translate.TranslateSettings;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * {@code translate.*}: the operators' settings. Defaults are the operators' own constants, so a
 * function built without the job behaves as the job does by default.
 */
public final class TranslateOptions {
    public static final ConfigOption<Integer> CAPACITY = ConfigOptions.key("translate.capacity").intType()
            .defaultValue(TranslateChunkFunction.DEFAULT_CAPACITY)
            .withDescription("Gemini calls in flight per subtask (async I/O capacity)");
    public static final ConfigOption<Boolean> ADMISSION_GATE = ConfigOptions.key("translate.admission-gate")
            .booleanType().defaultValue(true)
            .withDescription("hold the backlog in checkpointed state before the translate step and let chunks in, "
                    + "oldest documents first, only as fast as the quota (RPM, TPM, the day's RPD) takes them; false "
                    + "sends every chunk straight to the translate step's queue");
    public static final ConfigOption<Integer> MAX_ATTEMPTS = ConfigOptions.key("translate.max-attempts").intType()
            .defaultValue(TranslateSettings.DEFAULT_MAX_ATTEMPTS)
            .withDescription("attempts per chunk before it is reported failed");
    public static final ConfigOption<Integer> MAX_QUOTA_REFUSALS = ConfigOptions.key("translate.max-quota-refusals")
            .intType().defaultValue(TranslateSettings.DEFAULT_MAX_QUOTA_REFUSALS)
            .withDescription("429 answers retried for one chunk before it is reported failed");
    public static final ConfigOption<Duration> BACKOFF_BASE = ConfigOptions.key("translate.backoff-base")
            .durationType().defaultValue(TranslateSettings.DEFAULT_BACKOFF_BASE)
            .withDescription("first retry delay (exponential, with jitter)");
    public static final ConfigOption<Duration> BACKOFF_CAP = ConfigOptions.key("translate.backoff-cap")
            .durationType().defaultValue(TranslateSettings.DEFAULT_BACKOFF_CAP)
            .withDescription("largest retry delay");
    public static final ConfigOption<Integer> MAX_CHUNK_CHARS = ConfigOptions.key("translate.max-chunk-chars")
            .intType().defaultValue(ChunkValidator.DEFAULT_MAX_TEXT_CHARS)
            .withDescription("chunk text (and previous context) longer than this goes to the dead letters");
    public static final ConfigOption<Duration> CHUNK_TIMEOUT = ConfigOptions.key("translate.chunk-timeout")
            .durationType().defaultValue(TranslateSettings.DEFAULT_CHUNK_TIMEOUT)
            .withDescription("bound on one chunk's active work in the translate operator (quota waits within the "
                    + "day, calls, retries); time parked for the daily quota's reset does not count. A chunk still "
                    + "unfinished is reported failed");
    public static final ConfigOption<Duration> INACTIVITY_TIMEOUT = ConfigOptions.key("translate.inactivity-timeout")
            .durationType().defaultValue(StateLifetimes.INACTIVITY_TIMEOUT)
            .withDescription("a document with chunks missing is reported incomplete (never put) after nothing of "
                    + "it was in translation, and nothing of it arrived, for this long; chunks waiting in a backlog "
                    + "or for quota do not count as inactivity");
    public static final ConfigOption<Duration> DOCUMENT_BACKSTOP = ConfigOptions.key("translate.document-backstop")
            .durationType().defaultValue(StateLifetimes.BACKSTOP)
            .withDescription("last-resort bound: a document whose chunks are in translation but got no result for "
                    + "this long is reported incomplete. Must exceed one day (a wait for the daily quota) plus "
                    + "translate.chunk-timeout plus job.checkpoint-interval");
    public static final ConfigOption<Duration> DEDUP_RETENTION = ConfigOptions.key("translate.dedup-retention")
            .durationType().defaultValue(StateLifetimes.RETENTION)
            .withDescription("how long seen chunks are remembered to drop duplicates, and a reported document is "
                    + "remembered: its results after FAILED or INCOMPLETE (a late result reopens it), a tombstone "
                    + "after COMPLETE");

    static final OptionRules RULES = new OptionRules()
            .check(CAPACITY, OptionRules.between(1, 1000))
            .check(MAX_ATTEMPTS, OptionRules.between(1, 100))
            .check(MAX_QUOTA_REFUSALS, OptionRules.atLeast(0))
            .check(BACKOFF_BASE, OptionRules.positive())
            .check(BACKOFF_CAP, OptionRules.positive())
            .check(MAX_CHUNK_CHARS, OptionRules.atLeast(1))
            .check(CHUNK_TIMEOUT, OptionRules.positive())
            .check(INACTIVITY_TIMEOUT, OptionRules.positive())
            .check(DOCUMENT_BACKSTOP, OptionRules.positive())
            .check(DEDUP_RETENTION, OptionRules.positive());

    private TranslateOptions() {}
}
