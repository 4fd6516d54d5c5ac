package io.paralleltranslation.deploy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Sizes and names of one deployment environment (dev, staging, prod). Everything that differs
 * between environments is here; the stack itself has no environment switches beyond these values.
 */
public final class EnvironmentConfig {

    /** The environments {@link #named(String)} knows. */
    public static final List<String> NAMES = Arrays.asList("dev", "staging", "prod");
    public static final int MIN_AUTO_STOP_MINUTES = 10;

    /**
     * The shortest stream retention any environment may have: when the day's Gemini requests are
     * spent, the job parks and backpressures, and the chunks behind it wait in the stream until the
     * quota resets at midnight Los Angeles time, up to a day; 48 h leaves a day more for a restart,
     * an outage or a second day of backlog before a record could expire unread.
     */
    public static final int MIN_STREAM_RETENTION_HOURS = 48;

    private final String name;
    private int provisionedShards;
    private int streamRetentionHours = MIN_STREAM_RETENTION_HOURS;
    private int parallelism = 1;
    private int parallelismPerKpu = 1;
    private long checkpointIntervalMs = 10_000L;
    private long minPauseBetweenCheckpointsMs = 5_000L;
    private boolean pointInTimeRecovery;
    private boolean retainData;
    private String geminiProject = "";
    private String geminiModel = "gemini-2.5-flash";
    private Duration geminiRequestTimeout = Duration.ofSeconds(60);
    private long quotaRpm;
    private long quotaTpm;
    private long quotaRpd;
    private String quotaDayZone = "America/Los_Angeles";
    private int translateCapacity = 10;
    private int deadLetterExpirationDays = 30;
    private long iteratorAgeAlarmMs = 600_000L;
    private Duration autoStopAfterIdle;

    private EnvironmentConfig(String name) {
        this.name = name;
    }

    /** The preset for {@code dev}, {@code staging} or {@code prod}. */
    public static EnvironmentConfig named(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "dev":
                return dev();
            case "staging":
                return staging();
            case "prod":
                return prod();
            default:
                throw new IllegalArgumentException(
                        "Unknown environment '" + name + "': expected one of " + NAMES
                                + " (cdk synth -c env=dev)");
        }
    }

    private static EnvironmentConfig dev() {
        EnvironmentConfig c = new EnvironmentConfig("dev");
        c.streamRetentionHours = MIN_STREAM_RETENTION_HOURS;
        c.parallelism = 2;
        c.parallelismPerKpu = 1;
        c.geminiProject = "pt-dev";
        c.quotaRpm = 10;
        c.quotaTpm = 250_000;
        c.quotaRpd = 250;
        c.deadLetterExpirationDays = 7;
        c.iteratorAgeAlarmMs = 900_000L;
        c.autoStopAfterIdle = Duration.ofMinutes(30);
        return c;
    }

    private static EnvironmentConfig staging() {
        EnvironmentConfig c = new EnvironmentConfig("staging");
        c.provisionedShards = 2;
        c.streamRetentionHours = 72;
        c.parallelism = 4;
        c.parallelismPerKpu = 2;
        c.geminiProject = "pt-staging";
        c.quotaRpm = 150;
        c.quotaTpm = 1_000_000;
        c.quotaRpd = 1_500;
        c.deadLetterExpirationDays = 14;
        c.iteratorAgeAlarmMs = 600_000L;
        c.autoStopAfterIdle = Duration.ofMinutes(60);
        return c;
    }

    private static EnvironmentConfig prod() {
        EnvironmentConfig c = new EnvironmentConfig("prod");
        c.provisionedShards = 4;
        c.streamRetentionHours = 168;
        c.parallelism = 8;
        c.parallelismPerKpu = 2;
        c.pointInTimeRecovery = true;
        c.retainData = true;
        c.geminiProject = "pt-prod";
        c.quotaRpm = 1_000;
        c.quotaTpm = 1_000_000;
        c.quotaRpd = 10_000;
        c.deadLetterExpirationDays = 90;
        c.iteratorAgeAlarmMs = 300_000L;
        return c;
    }

    public String name() {
        return name;
    }

    /** Prefix of every physical name, so two environments can share an account. */
    public String prefix() {
        return "pt-" + name;
    }

    public String streamName() {
        return prefix() + "-chunks";
    }

    public String tableName() {
        return prefix() + "-quota";
    }

    public String cacheTableName() {
        return prefix() + "-translation-cache";
    }

    public String applicationName() {
        return prefix() + "-translator";
    }

    public String secretName() {
        return "pt/" + name + "/gemini-api-key";
    }

    public String logGroupName() {
        return "/aws/kinesis-analytics/" + applicationName();
    }

    /** 0 means an on-demand stream. */
    public int provisionedShards() {
        return provisionedShards;
    }

    public boolean onDemandStream() {
        return provisionedShards == 0;
    }

    public int streamRetentionHours() {
        return streamRetentionHours;
    }

    public int parallelism() {
        return parallelism;
    }

    public int parallelismPerKpu() {
        return parallelismPerKpu;
    }

    public long checkpointIntervalMs() {
        return checkpointIntervalMs;
    }

    public long minPauseBetweenCheckpointsMs() {
        return minPauseBetweenCheckpointsMs;
    }

    public boolean pointInTimeRecovery() {
        return pointInTimeRecovery;
    }

    /** Whether stateful resources survive a stack deletion. */
    public boolean retainData() {
        return retainData;
    }

    public String geminiModel() {
        return geminiModel;
    }

    public Duration geminiRequestTimeout() {
        return geminiRequestTimeout;
    }

    /** The limiter's item key: one quota item per Google project and model. */
    public String quotaScope() {
        return "gemini#" + geminiProject + "#" + geminiModel;
    }

    public long quotaRpm() {
        return quotaRpm;
    }

    public long quotaTpm() {
        return quotaTpm;
    }

    public long quotaRpd() {
        return quotaRpd;
    }

    public String quotaDayZone() {
        return quotaDayZone;
    }

    /**
     * {@code quota.instances}: how many limiter instances share the quota item, for the fallback
     * share each keeps while DynamoDB is unreachable. The job runs one limiter per task manager JVM
     * (shared by its translating subtasks); the service places subtasks, and the parallelism is an
     * upper bound on the JVMs that run them, so 1/parallelism per limiter stays within the quota.
     */
    public int quotaInstances() {
        return parallelism;
    }

    public int translateCapacity() {
        return translateCapacity;
    }

    public int deadLetterExpirationDays() {
        return deadLetterExpirationDays;
    }

    public long iteratorAgeAlarmMs() {
        return iteratorAgeAlarmMs;
    }

    /**
     * How long the application runs with no input and nothing in flight before the auto-stop
     * function stops it (with a snapshot); null: always on (prod, where latency beats cost).
     */
    public Duration autoStopAfterIdle() {
        return autoStopAfterIdle;
    }

    /**
     * The same environment with another auto-stop time ({@code cdk synth -c autoStopMinutes=N});
     * 0 turns auto-stop off. At least 10 minutes: the idle check needs several one-minute datapoints,
     * and the translate operator's inactivity timeout reports a document's missing chunks within 10 min.
     */
    public EnvironmentConfig withAutoStopAfterIdle(int minutes) {
        if (minutes != 0 && minutes < MIN_AUTO_STOP_MINUTES) {
            throw new IllegalArgumentException("autoStopMinutes must be 0 (off) or at least " + MIN_AUTO_STOP_MINUTES
                    + ", got " + minutes);
        }
        autoStopAfterIdle = minutes == 0 ? null : Duration.ofMinutes(minutes);
        return this;
    }
}
