package io.paralleltranslation.job.config;

import static io.paralleltranslation.job.config.ConfigKey.atLeast;
import static io.paralleltranslation.job.config.ConfigKey.between;
import static io.paralleltranslation.job.config.ConfigKey.positive;

import com.fasterxml.jackson.databind.JsonNode;
import io.paralleltranslation.operators.cost.GeminiPrices;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * The job's one configuration entry point. Sources, later ones winning: the keys' defaults, the
 * Managed Flink runtime property groups, a JSON file of the same shape given by
 * {@code --config FILE}, and {@code --group.key value} command-line arguments (EMR, local runs).
 * Every value is parsed and checked when the config is built; the error names the offending key.
 * Keys under {@code flink.} are handed to Flink's own configuration with the prefix removed.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where Kinesis reading starts when the job has no checkpoint to resume from. */
    public enum InitialPosition { LATEST, TRIM_HORIZON, AT_TIMESTAMP }

    /** AUTO: the AWS default chain (roles on AWS); BASIC: the static keys below (stand-ins). */
    public enum CredentialsProvider { AUTO, BASIC }

    public enum RestartStrategy { NONE, FIXED_DELAY, EXPONENTIAL_DELAY }

    public enum StateBackend { ROCKSDB, HASHMAP }

    /** Prefix of keys passed through to Flink's configuration. */
    public static final String FLINK_PREFIX = "flink.";

    private static final Pattern STREAM_ARN =
            Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z0-9-]+):\\d{12}:stream/[A-Za-z0-9_.-]{1,128}");
    private static final List<ConfigKey<?>> KEYS = new ArrayList<>();

    public static final ConfigKey<String> KINESIS_STREAM = add(ConfigKey.string("kinesis.stream", null,
            "ARN of the chunk stream, arn:aws:kinesis:REGION:ACCOUNT:stream/NAME")
            .check(v -> STREAM_ARN.matcher(v).matches() ? null : "is not a Kinesis stream ARN").required());
    public static final ConfigKey<String> KINESIS_REGION = add(ConfigKey.string("kinesis.region", null,
            "AWS region of the stream; unset: the region in the stream ARN"));
    public static final ConfigKey<URI> KINESIS_ENDPOINT = add(ConfigKey.custom("kinesis.endpoint", "url",
            JobConfig::parseUrl, null, "Kinesis endpoint override (a stand-in's plain-HTTP URL); unset: AWS"));
    public static final ConfigKey<InitialPosition> KINESIS_INITIAL_POSITION = add(ConfigKey.enumeration(
            "kinesis.initial-position", InitialPosition.class, InitialPosition.TRIM_HORIZON,
            "where reading starts without a checkpoint; TRIM_HORIZON keeps chunks put before the job started"));
    public static final ConfigKey<Instant> KINESIS_INITIAL_TIMESTAMP = add(ConfigKey.custom(
            "kinesis.initial-timestamp", "instant", Instant::parse, null,
            "ISO-8601 instant to start from; required with initial-position AT_TIMESTAMP"));
    public static final ConfigKey<Duration> KINESIS_SHARD_DISCOVERY_INTERVAL = add(ConfigKey.duration(
            "kinesis.shard-discovery-interval", Duration.ofSeconds(10), "how often the source looks for new shards")
            .check(positive()));
    public static final ConfigKey<Duration> KINESIS_POLL_INTERVAL = add(ConfigKey.duration(
            "kinesis.poll-interval", Duration.ofMillis(250), "pause between two GetRecords calls on one shard, busy "
            + "or idle: a chunk waits up to this long before it is read. Kinesis allows 5 a second per shard for ALL "
            + "consumers of the stream, so at least 200ms (250ms: 4 a second, one left for another consumer; each "
            + "call reads up to 10,000 records or 10 MB)")
            .check(v -> v.compareTo(Duration.ofMillis(200)) < 0 ? "must be at least 200ms (Kinesis allows 5 "
                    + "GetRecords a second per shard)" : null));
    public static final ConfigKey<CredentialsProvider> KINESIS_CREDENTIALS_PROVIDER = add(ConfigKey.enumeration(
            "kinesis.credentials-provider", CredentialsProvider.class, CredentialsProvider.AUTO,
            "AUTO on AWS; BASIC with the static keys for stand-ins"));
    public static final ConfigKey<String> KINESIS_ACCESS_KEY_ID = add(ConfigKey.string("kinesis.access-key-id",
            "local", "static access key id for BASIC (stand-ins only)"));
    public static final ConfigKey<String> KINESIS_SECRET_ACCESS_KEY = add(ConfigKey.string(
            "kinesis.secret-access-key", "local", "static secret key for BASIC (stand-ins only)").secret());

    public static final ConfigKey<String> DYNAMODB_TABLE = add(ConfigKey.string("dynamodb.table",
            "parallel-translation-quota", "DynamoDB table holding the global quota item"));
    public static final ConfigKey<String> DYNAMODB_REGION = add(ConfigKey.string("dynamodb.region", null,
            "AWS region of the table; unset: the Kinesis region"));
    public static final ConfigKey<URI> DYNAMODB_ENDPOINT = add(ConfigKey.custom("dynamodb.endpoint", "url",
            JobConfig::parseUrl, null, "DynamoDB endpoint override (dynalite locally); unset: AWS"));
    public static final ConfigKey<Duration> DYNAMODB_ATTEMPT_TIMEOUT = add(ConfigKey.duration(
            "dynamodb.attempt-timeout", null, "timeout of one limiter request to DynamoDB (retried, then the "
            + "limiter keeps to its fallback share). Unset: 2s on AWS; 30s with an endpoint override, which a "
            + "stand-in on a loaded 2-core machine meets (dynalite dies when a client aborts a request)")
            .check(positive()));
    public static final ConfigKey<String> DYNAMODB_QUOTA_SCOPE = add(ConfigKey.string("dynamodb.quota-scope",
            "gemini", "name of the quota item; every job sharing one Gemini project and model uses the same")
            .check(v -> v.isEmpty() ? "must not be empty" : null));

    public static final ConfigKey<Boolean> CACHE_ENABLED = add(ConfigKey.custom("cache.enabled", "boolean",
            JobConfig::parseBoolean, true, "look each chunk up in the translation cache before taking quota and store "
            + "each paid translation there, so replays, resubmissions and reruns do not pay again"));
    public static final ConfigKey<String> CACHE_TABLE = add(ConfigKey.string("cache.table",
            "parallel-translation-cache", "DynamoDB table of the translation cache (same region and endpoint as "
            + "`dynamodb.table`)").check(v -> v.isEmpty() ? "must not be empty" : null));
    public static final ConfigKey<Duration> CACHE_TTL = add(ConfigKey.duration("cache.ttl", Duration.ofDays(30),
            "how long a cached translation is served after it was paid for").check(positive()));

    public static final ConfigKey<URI> GEMINI_BASE_URL = add(ConfigKey.custom("gemini.base-url", "url",
            JobConfig::parseUrl, null, "Gemini API base URL (the emulator locally); unset: Google's endpoint"));
    public static final ConfigKey<String> GEMINI_API_VERSION = add(ConfigKey.string("gemini.api-version",
            "v1beta", "API version path segment the SDK calls"));
    public static final ConfigKey<String> GEMINI_MODEL = add(ConfigKey.string("gemini.model", "gemini-2.5-flash",
            "default model; a chunk record's model overrides it"));
    public static final ConfigKey<ApiKeySource> GEMINI_API_KEY_SOURCE = add(ConfigKey.custom(
            "gemini.api-key-source", "env:NAME|secretsmanager:ID|literal:KEY", ApiKeySource::parse,
            ApiKeySource.parse("env:GEMINI_API_KEY"),
            "where the API key comes from; literal: only with a loopback base-url (the emulator)")
            .sensitiveText());
    public static final ConfigKey<Double> GEMINI_TEMPERATURE = add(ConfigKey.decimal("gemini.temperature", 0.2,
            "sampling temperature").check(between(0.0, 2.0)));
    public static final ConfigKey<Integer> GEMINI_THINKING_BUDGET = add(ConfigKey.integer(
            "gemini.thinking-budget", 0, "thinking tokens per call; 0 turns thinking off, -1 lets the model decide")
            .check(atLeast(-1)));
    public static final ConfigKey<Duration> GEMINI_REQUEST_TIMEOUT = add(ConfigKey.duration(
            "gemini.request-timeout", Duration.ofSeconds(120), "timeout of one Gemini call (a retryable outcome)")
            .check(positive()));

    public static final ConfigKey<GeminiPrices> GEMINI_PRICES = add(ConfigKey.custom("gemini.prices",
            "MODEL=IN/OUT,...", GeminiPrices::parse, GeminiPrices.defaults(),
            "USD per million input/output tokens per model, for each status record's estimatedCostUsd; replaces "
            + "the whole table. Defaults: Google's paid-tier list prices read 2026-09-20 (docs/cost.md); "
            + "on the free tier set e.g. gemini-2.5-flash=0/0"));

    public static final ConfigKey<Integer> QUOTA_RPM = add(ConfigKey.integer("quota.rpm", 10,
            "requests per minute of the Gemini project and model").check(atLeast(1)));
    public static final ConfigKey<Long> QUOTA_TPM = add(ConfigKey.longInteger("quota.tpm", 250_000L,
            "input tokens per minute").check(atLeast(1L)));
    public static final ConfigKey<Integer> QUOTA_RPD = add(ConfigKey.integer("quota.rpd", 250,
            "requests per day").check(atLeast(1)));
    public static final ConfigKey<ZoneId> QUOTA_DAY_ZONE = add(ConfigKey.zone("quota.day-zone",
            ZoneId.of("America/Los_Angeles"), "time zone whose midnight resets the daily quota"));
    public static final ConfigKey<Integer> QUOTA_INSTANCES = add(ConfigKey.integer("quota.instances", null,
            "limiter instances sharing the quota item, summed over every job using it: one per TaskManager JVM "
            + "running translate subtasks (the subtasks of a JVM share one limiter). Only matters while DynamoDB "
            + "is unreachable: each instance then keeps to 1/instances of every limit. Unset: the job's "
            + "parallelism, an upper bound on its JVMs").check(atLeast(1)));
    public static final ConfigKey<Duration> QUOTA_WINDOW_MARGIN = add(ConfigKey.duration("quota.window-margin",
            Duration.ofSeconds(1), "whole seconds added to the limiter's sliding minute: Gemini counts a call "
            + "when it arrives, so calls whose grant-to-arrival delays differ by up to this much still fit its "
            + "minute. The cost: a quota kept busy yields 60/(61+margin) of RPM and TPM per minute (1s: 96.8%, "
            + "0s: 98.4%). Every job sharing the quota item must use the same value")
            .check(v -> v.isNegative() || v.getNano() != 0 || v.compareTo(Duration.ofSeconds(60)) > 0
                    ? "must be whole seconds from 0s to 60s" : null));
    public static final ConfigKey<Boolean> QUOTA_WINDOW_MARGIN_ZERO_ACKNOWLEDGED = add(ConfigKey.custom(
            "quota.window-margin-zero-acknowledged", "boolean", JobConfig::parseBoolean, false,
            "true accepts quota.window-margin 0s, refused otherwise: the margin must cover the grant-to-arrival "
            + "spread plus twice the clock skew between hosts (docs/rate-limiter.md)"));

    public static final ConfigKey<Integer> TRANSLATE_CAPACITY = add(ConfigKey.integer("translate.capacity", 10,
            "Gemini calls in flight per subtask (async I/O capacity)").check(between(1, 1000)));
    public static final ConfigKey<Boolean> TRANSLATE_ADMISSION_GATE = add(ConfigKey.bool(
            "translate.admission-gate", true,
            "hold the backlog in checkpointed state before the translate step and let chunks in, oldest "
            + "documents first, only as fast as the quota (RPM, TPM, the day's RPD) takes them; false sends every "
            + "chunk straight to the translate step's queue"));
    public static final ConfigKey<Integer> TRANSLATE_MAX_ATTEMPTS = add(ConfigKey.integer(
            "translate.max-attempts", 6, "attempts per chunk before it is reported failed").check(between(1, 100)));
    public static final ConfigKey<Integer> TRANSLATE_MAX_QUOTA_REFUSALS = add(ConfigKey.integer(
            "translate.max-quota-refusals", 20, "429 answers retried for one chunk before it is reported failed")
            .check(atLeast(0)));
    public static final ConfigKey<Duration> TRANSLATE_BACKOFF_BASE = add(ConfigKey.duration(
            "translate.backoff-base", Duration.ofSeconds(1), "first retry delay (exponential, with jitter)")
            .check(positive()));
    public static final ConfigKey<Duration> TRANSLATE_BACKOFF_CAP = add(ConfigKey.duration(
            "translate.backoff-cap", Duration.ofSeconds(60), "largest retry delay").check(positive()));
    public static final ConfigKey<Integer> TRANSLATE_MAX_CHUNK_CHARS = add(ConfigKey.integer(
            "translate.max-chunk-chars", 60_000, "chunk text longer than this goes to the dead letters")
            .check(atLeast(1)));
    public static final ConfigKey<Duration> TRANSLATE_CHUNK_TIMEOUT = add(ConfigKey.duration(
            "translate.chunk-timeout", Duration.ofMinutes(30),
            "bound on one chunk's active work in the translate operator (quota waits within the day, calls, "
            + "retries); time parked for the daily quota's reset does not count. A chunk still unfinished is "
            + "reported failed").check(positive()));
    public static final ConfigKey<Duration> TRANSLATE_INACTIVITY_TIMEOUT = add(ConfigKey.duration(
            "translate.inactivity-timeout", Duration.ofMinutes(10),
            "a document with chunks missing is reported incomplete (never put) after nothing of it was in "
            + "translation, and nothing of it arrived, for this long; chunks waiting in a backlog or for quota "
            + "do not count as inactivity").check(positive()));
    public static final ConfigKey<Duration> TRANSLATE_DOCUMENT_BACKSTOP = add(ConfigKey.duration(
            "translate.document-backstop", Duration.ofDays(3),
            "last-resort bound: a document whose chunks are in translation but got no result for this long is "
            + "reported incomplete. Must exceed one day (a wait for the daily quota) plus translate.chunk-timeout "
            + "plus job.checkpoint-interval").check(positive()));
    public static final ConfigKey<Duration> TRANSLATE_DEDUP_RETENTION = add(ConfigKey.duration(
            "translate.dedup-retention", Duration.ofDays(1),
            "how long seen chunks are remembered to drop duplicates, and a reported document is remembered: its "
            + "results after FAILED or INCOMPLETE (a late result reopens it), a tombstone after COMPLETE")
            .check(positive()));

    public static final ConfigKey<String> OUTPUT_PATH = add(ConfigKey.string("output.path", null,
            "where documents, `_status/`, `_partial/` and `_dead-letter/` go: a local directory or "
            + "`s3://bucket/prefix`")
            .check(v -> v.isEmpty() ? "must not be empty" : null).required());

    public static final ConfigKey<String> JOB_NAME = add(ConfigKey.string("job.name", "parallel-translation",
            "Flink job name"));
    public static final ConfigKey<Integer> JOB_PARALLELISM = add(ConfigKey.integer("job.parallelism", null,
            "default parallelism; unset: the cluster's (Managed Flink: its parallelism setting)")
            .check(atLeast(1)));
    public static final ConfigKey<Duration> JOB_CHECKPOINT_INTERVAL = add(ConfigKey.duration(
            "job.checkpoint-interval", Duration.ofSeconds(30),
            "checkpoint interval; documents reach the output at checkpoints").check(positive()));
    public static final ConfigKey<Duration> JOB_CHECKPOINT_TIMEOUT = add(ConfigKey.duration(
            "job.checkpoint-timeout", Duration.ofMinutes(10),
            "a checkpoint not complete within this is declined (and counts as a failure)").check(positive()));
    public static final ConfigKey<Integer> JOB_TOLERABLE_CHECKPOINT_FAILURES = add(ConfigKey.integer(
            "job.tolerable-checkpoint-failures", 150,
            "consecutive failed or expired checkpoints the job tolerates before it restarts. While chunks are "
            + "parked for the daily quota the translate task waits behind its full async queue and no checkpoint "
            + "completes until the reset; a restart would not help and would re-pay calls, so the default "
            + "tolerates a day of 10-minute timeouts").check(atLeast(0)));
    public static final ConfigKey<Boolean> JOB_UNALIGNED_CHECKPOINTS = add(ConfigKey.bool(
            "job.unaligned-checkpoints", true,
            "let checkpoint barriers overtake the records queued behind a full async queue (their in-flight "
            + "buffers are stored with the checkpoint), so checkpoints finish in bounded time under backpressure"));
    public static final ConfigKey<Duration> JOB_ALIGNED_CHECKPOINT_TIMEOUT = add(ConfigKey.duration(
            "job.aligned-checkpoint-timeout", Duration.ofSeconds(5),
            "with unaligned checkpoints on: a checkpoint starts aligned and switches to unaligned once "
            + "alignment takes this long (0s: unaligned from the start)"));
    public static final ConfigKey<Boolean> JOB_BUFFER_DEBLOAT = add(ConfigKey.bool("job.buffer-debloat", true,
            "size network buffers to about 1 s of throughput, so little data queues in front of the slow "
            + "translate step and barriers travel fast"));
    public static final ConfigKey<Duration> JOB_BUFFER_TIMEOUT = add(ConfigKey.duration("job.buffer-timeout",
            Duration.ofMillis(10), "longest time a record waits in a partly filled network buffer before it is sent "
            + "on (Flink's default is 100ms at each of the job's shuffles); the job moves few, large records, so "
            + "flushing often costs nothing measurable and a chunk is not held at every shuffle")
            .check(v -> v.compareTo(Duration.ofSeconds(1)) > 0 ? "must be at most 1s (every shuffle holds a record "
                    + "up to this long)" : null));
    public static final ConfigKey<String> JOB_CHECKPOINT_DIR = add(ConfigKey.string("job.checkpoint-dir", null,
            "checkpoint storage URI (file:// or s3://); unset: the cluster's (Managed Flink manages it)"));
    public static final ConfigKey<StateBackend> JOB_STATE_BACKEND = add(ConfigKey.enumeration(
            "job.state-backend", StateBackend.class, StateBackend.ROCKSDB, "state backend"));
    public static final ConfigKey<RestartStrategy> JOB_RESTART_STRATEGY = add(ConfigKey.enumeration(
            "job.restart-strategy", RestartStrategy.class, RestartStrategy.EXPONENTIAL_DELAY,
            "what Flink does when a task fails"));
    public static final ConfigKey<Integer> JOB_RESTART_ATTEMPTS = add(ConfigKey.integer("job.restart-attempts",
            10, "restarts before the job fails (FIXED_DELAY)").check(atLeast(1)));
    public static final ConfigKey<Duration> JOB_RESTART_DELAY = add(ConfigKey.duration("job.restart-delay",
            Duration.ofSeconds(3), "delay before a restart (the first one, for EXPONENTIAL_DELAY)")
            .check(positive()));
    public static final ConfigKey<Duration> JOB_RESTART_MAX_DELAY = add(ConfigKey.duration(
            "job.restart-max-delay", Duration.ofMinutes(2), "largest restart delay (EXPONENTIAL_DELAY)")
            .check(positive()));

    private static final Map<String, ConfigKey<?>> BY_NAME = byName();
    private static final Duration AWS_DYNAMODB_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration STAND_IN_DYNAMODB_ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

    /** Reads the Managed Flink runtime property groups (empty elsewhere). */
    @FunctionalInterface
    public interface RuntimeProperties {
        Map<String, Properties> groups() throws IOException;
    }

    private final Map<String, Object> values;
    private final Map<String, String> flinkSettings;

    private JobConfig(Map<String, Object> values, Map<String, String> flinkSettings) {
        this.values = values;
        this.flinkSettings = flinkSettings;
    }

    /** Every key, in the order of the README table. */
    public static List<ConfigKey<?>> keys() {
        return Collections.unmodifiableList(KEYS);
    }

    /** Loads the config for a run: Managed Flink properties when present, then the arguments. */
    public static JobConfig load(String[] args) {
        return load(args, ManagedFlinkProperties::read);
    }

    public static JobConfig load(String[] args, RuntimeProperties runtime) {
        List<Layer> layers = new ArrayList<>();
        try {
            layers.add(Layer.fromGroups("Managed Flink runtime properties", runtime.groups()));
        } catch (IOException e) {
            throw new ConfigException("cannot read the Managed Flink runtime properties: " + e.getMessage(), e);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("unexpected argument '" + arg + "': use --config FILE or --group.key value");
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigException("--" + name + " needs a value");
            }
            if (name.equals("config")) {
                file = Paths.get(value);
            } else {
                overrides.put(name, value);
            }
        }
        if (file != null) {
            layers.add(Layer.fromJsonFile(file));
        }
        layers.add(new Layer("the command line", overrides));
        return fromLayers(layers);
    }

    /** Builds a config from flat {@code group.key} maps, later maps winning (tests, tools). */
    @SafeVarargs
    public static JobConfig of(Map<String, String>... settings) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < settings.length; i++) {
            layers.add(new Layer("settings #" + (i + 1), settings[i]));
        }
        return fromLayers(layers);
    }

    private static JobConfig fromLayers(List<Layer> layers) {
        Map<String, String> merged = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (Layer layer : layers) {
            for (Map.Entry<String, String> e : layer.settings.entrySet()) {
                String name = e.getKey();
                if (!name.startsWith(FLINK_PREFIX) && !BY_NAME.containsKey(name)) {
                    throw new ConfigException("unknown config key '" + name + "' (from " + layer.origin
                            + "); known keys: " + String.join(", ", BY_NAME.keySet()));
                }
                if (e.getValue() == null) {
                    throw new ConfigException(name + ": no value (from " + layer.origin + ")");
                }
                merged.put(name, e.getValue());
                origin.put(name, layer.origin);
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> flink = new TreeMap<>();
        for (ConfigKey<?> key : KEYS) {
            String text = merged.get(key.name());
            if (text != null) {
                try {
                    values.put(key.name(), key.parse(text));
                } catch (ConfigException e) {
                    throw new ConfigException(e.getMessage() + " (from " + origin.get(key.name()) + ")");
                }
            } else if (key.isRequired()) {
                throw new ConfigException(key.name() + ": required but not set (" + key.description() + ")");
            } else if (key.defaultValue() != null) {
                values.put(key.name(), key.defaultValue());
            }
        }
        for (Map.Entry<String, String> e : merged.entrySet()) {
            if (e.getKey().startsWith(FLINK_PREFIX)) {
                flink.put(e.getKey().substring(FLINK_PREFIX.length()), e.getValue());
            }
        }
        JobConfig config = new JobConfig(values, flink);
        config.checkAcrossKeys();
        return config;
    }

    private void checkAcrossKeys() {
        if (get(QUOTA_WINDOW_MARGIN).isZero() && !get(QUOTA_WINDOW_MARGIN_ZERO_ACKNOWLEDGED)) {
            throw new ConfigException(QUOTA_WINDOW_MARGIN.name() + ": 0s leaves no room for clock skew or for calls "
                    + "reaching Gemini later than others; use at least 1s, or set "
                    + QUOTA_WINDOW_MARGIN_ZERO_ACKNOWLEDGED.name() + "=true");
        }
        if (get(KINESIS_INITIAL_POSITION) == InitialPosition.AT_TIMESTAMP && get(KINESIS_INITIAL_TIMESTAMP) == null) {
            throw new ConfigException(KINESIS_INITIAL_TIMESTAMP.name() + ": required when "
                    + KINESIS_INITIAL_POSITION.name() + " is AT_TIMESTAMP");
        }
        if (get(TRANSLATE_BACKOFF_CAP).compareTo(get(TRANSLATE_BACKOFF_BASE)) < 0) {
            throw new ConfigException(TRANSLATE_BACKOFF_CAP.name() + ": must not be below "
                    + TRANSLATE_BACKOFF_BASE.name());
        }
        if (get(JOB_CHECKPOINT_TIMEOUT).compareTo(get(JOB_ALIGNED_CHECKPOINT_TIMEOUT)) <= 0) {
            throw new ConfigException(JOB_ALIGNED_CHECKPOINT_TIMEOUT.name() + ": must be below "
                    + JOB_CHECKPOINT_TIMEOUT.name());
        }
        Duration backstopFloor = Duration.ofDays(1).plus(get(TRANSLATE_CHUNK_TIMEOUT))
                .plus(get(JOB_CHECKPOINT_INTERVAL));
        if (get(TRANSLATE_DOCUMENT_BACKSTOP).compareTo(backstopFloor) <= 0) {
            throw new ConfigException(TRANSLATE_DOCUMENT_BACKSTOP.name() + ": must exceed one day (a chunk parked for "
                    + "the daily quota) + " + TRANSLATE_CHUNK_TIMEOUT.name() + " + " + JOB_CHECKPOINT_INTERVAL.name()
                    + " = " + backstopFloor + ", got " + get(TRANSLATE_DOCUMENT_BACKSTOP));
        }
        if (get(GEMINI_API_KEY_SOURCE).kind() == ApiKeySource.Kind.LITERAL && !Endpoints.isLoopback(get(GEMINI_BASE_URL))) {
            throw new ConfigException(GEMINI_API_KEY_SOURCE.name() + ": a literal key is for local runs only "
                    + "(gemini.base-url on 127.0.0.1/localhost); use env:NAME or secretsmanager:ID");
        }
    }

    /** The value, or the key's default; null only for an optional key that is unset. */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        if (!BY_NAME.containsKey(key.name())) {
            throw new IllegalArgumentException("not a JobConfig key: " + key.name());
        }
        return (T) values.get(key.name());
    }

    /** The stream's region: {@code kinesis.region}, else the region in the stream ARN. */
    public String kinesisRegion() {
        String region = get(KINESIS_REGION);
        if (region != null) {
            return region;
        }
        Matcher m = STREAM_ARN.matcher(get(KINESIS_STREAM));
        if (!m.matches()) {
            throw new IllegalStateException("validated at load");
        }
        return m.group(1);
    }

    /** The table's region: {@code dynamodb.region}, else the Kinesis region. */
    /** {@link #DYNAMODB_ATTEMPT_TIMEOUT}, or its default for AWS or for a stand-in. */
    public Duration dynamodbAttemptTimeout() {
        Duration configured = get(DYNAMODB_ATTEMPT_TIMEOUT);
        if (configured != null) {
            return configured;
        }
        return get(DYNAMODB_ENDPOINT) == null ? AWS_DYNAMODB_ATTEMPT_TIMEOUT : STAND_IN_DYNAMODB_ATTEMPT_TIMEOUT;
    }

    public String dynamodbRegion() {
        String region = get(DYNAMODB_REGION);
        return region != null ? region : kinesisRegion();
    }

    /** {@code flink.*} settings with the prefix removed, for Flink's {@code Configuration}. */
    public Map<String, String> flinkSettings() {
        return Collections.unmodifiableMap(flinkSettings);
    }

    /** The README's configuration table, generated from {@link #keys()}. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder();
        table.append("| key | type | default | description |\n");
        table.append("|---|---|---|---|\n");
        for (ConfigKey<?> key : KEYS) {
            String fallback = key.isRequired() ? "**required**" : key.defaultValue() == null ? "(unset)"
                    : "`" + key.format(key.defaultValue()) + "`";
            table.append("| `").append(key.name()).append("` | ").append(key.typeName().replace("|", "\\|"))
                    .append(" | ").append(fallback).append(" | ").append(key.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return table.toString();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("JobConfig{");
        String separator = "";
        for (ConfigKey<?> key : KEYS) {
            Object value = values.get(key.name());
            if (value != null) {
                s.append(separator).append(key.name()).append('=').append(key.display(value));
                separator = ", ";
            }
        }
        for (Map.Entry<String, String> e : flinkSettings.entrySet()) {
            // Flink's own rule (the one its logs use) decides which pass-through values are secrets.
            String shown = GlobalConfiguration.isSensitive(e.getKey()) ? "****" : e.getValue();
            s.append(separator).append(FLINK_PREFIX).append(e.getKey()).append('=').append(shown);
            separator = ", ";
        }
        return s.append('}').toString();
    }

    private static <T> ConfigKey<T> add(ConfigKey<T> key) {
        KEYS.add(key);
        return key;
    }

    private static Boolean parseBoolean(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException("must be true or false");
        }
    }

    private static Map<String, ConfigKey<?>> byName() {
        Map<String, ConfigKey<?>> map = new LinkedHashMap<>();
        for (ConfigKey<?> key : KEYS) {
            if (map.put(key.name(), key) != null) {
                throw new IllegalStateException("duplicate config key " + key.name());
            }
        }
        return map;
    }

    private static URI parseUrl(String text) {
        URI uri = URI.create(text);
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("expected an http:// or https:// URL");
        }
        return uri;
    }

    /** One source of settings and where it came from, for error messages. */
    private static final class Layer {
        private static final ObjectMapper JSON = new ObjectMapper();
        final String origin;
        final Map<String, String> settings;

        Layer(String origin, Map<String, String> settings) {
            this.origin = origin;
            this.settings = settings;
        }

        static Layer fromGroups(String origin, Map<String, Properties> groups) {
            Map<String, String> settings = new LinkedHashMap<>();
            for (Map.Entry<String, Properties> group : groups.entrySet()) {
                for (String property : group.getValue().stringPropertyNames()) {
                    settings.put(group.getKey() + "." + property, group.getValue().getProperty(property));
                }
            }
            return new Layer(origin, settings);
        }

        static Layer fromJsonFile(Path file) {
            String origin = "config file " + file;
            JsonNode root;
            try {
                root = JSON.readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new ConfigException("cannot read " + origin + ": " + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new ConfigException(origin + ": expected a JSON object of groups, "
                        + "e.g. {\"gemini\": {\"model\": \"...\"}}");
            }
            Map<String, String> settings = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> groups = root.fields(); groups.hasNext(); ) {
                Map.Entry<String, JsonNode> group = groups.next();
                if (!group.getValue().isObject()) {
                    throw new ConfigException(origin + ": group '" + group.getKey() + "' must be a JSON object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = group.getValue().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String name = group.getKey() + "." + e.getKey();
                    if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                        throw new ConfigException(name + ": expected a string, number or boolean in " + origin);
                    }
                    settings.put(name, e.getValue().asText());
                }
            }
            return new Layer(origin, settings);
        }
    }
}
