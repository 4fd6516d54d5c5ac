package io.paralleltranslation.job.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * {@code job.*}: how Flink runs the job (checkpoints, state, restarts). {@code TranslationJob}
 * turns them into Flink's own options; {@code flink.*} keys reach Flink unchanged.
 */
public final class JobOptions {
    public enum RestartStrategy { NONE, FIXED_DELAY, EXPONENTIAL_DELAY }

    public enum StateBackend { ROCKSDB, HASHMAP }

    public static final ConfigOption<String> NAME = ConfigOptions.key("job.name").stringType()
            .defaultValue("parallel-translation").withDescription("Flink job name");
    public static final ConfigOption<Integer> PARALLELISM = ConfigOptions.key("job.parallelism").intType()
            .noDefaultValue()
            .withDescription("default parallelism; unset: the cluster's (Managed Flink: its parallelism setting)");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("job.checkpoint-interval")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("checkpoint interval; documents reach the output at checkpoints");
    public static final ConfigOption<Duration> CHECKPOINT_TIMEOUT = ConfigOptions.key("job.checkpoint-timeout")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("a checkpoint not complete within this is declined (and counts as a failure)");
    public static final ConfigOption<Integer> TOLERABLE_CHECKPOINT_FAILURES = ConfigOptions
            .key("job.tolerable-checkpoint-failures").intType().defaultValue(150)
            .withDescription("consecutive failed or expired checkpoints the job tolerates before it restarts. While "
                    + "chunks are parked for the daily quota the translate task waits behind its full async queue "
                    + "and no checkpoint completes until the reset; a restart would not help and would re-pay "
                    + "calls, so the default tolerates a day of 10-minute timeouts");
    public static final ConfigOption<Boolean> UNALIGNED_CHECKPOINTS = ConfigOptions.key("job.unaligned-checkpoints")
            .booleanType().defaultValue(true)
            .withDescription("let checkpoint barriers overtake the records queued behind a full async queue (their "
                    + "in-flight buffers are stored with the checkpoint), so checkpoints finish in bounded time "
                    + "under backpressure");
    public static final ConfigOption<Duration> ALIGNED_CHECKPOINT_TIMEOUT = ConfigOptions
            .key("job.aligned-checkpoint-timeout").durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("with unaligned checkpoints on: a checkpoint starts aligned and switches to unaligned "
                    + "once alignment takes this long (0s: unaligned from the start)");
    public static final ConfigOption<Boolean> BUFFER_DEBLOAT = ConfigOptions.key("job.buffer-debloat").booleanType()
            .defaultValue(true)
            .withDescription("size network buffers to about 1 s of throughput, so little data queues in front of "
                    + "the slow translate step and barriers travel fast");
    public static final ConfigOption<Duration> BUFFER_TIMEOUT = ConfigOptions.key("job.buffer-timeout")
            .durationType().defaultValue(Duration.ofMillis(10))
            .withDescription("longest time a record waits in a partly filled network buffer before it is sent on "
                    + "(Flink's default is 100ms at each of the job's shuffles); the job moves few, large records, "
                    + "so flushing often costs nothing measurable and a chunk is not held at every shuffle");
    public static final ConfigOption<String> CHECKPOINT_DIR = ConfigOptions.key("job.checkpoint-dir").stringType()
            .noDefaultValue()
            .withDescription("checkpoint storage URI (file:// or s3://); unset: the cluster's (Managed Flink "
                    + "manages it)");
    public static final ConfigOption<StateBackend> STATE_BACKEND = ConfigOptions.key("job.state-backend")
            .enumType(StateBackend.class).defaultValue(StateBackend.ROCKSDB).withDescription("state backend");
    public static final ConfigOption<RestartStrategy> RESTART_STRATEGY = ConfigOptions.key("job.restart-strategy")
            .enumType(RestartStrategy.class).defaultValue(RestartStrategy.EXPONENTIAL_DELAY)
            .withDescription("what Flink does when a task fails");
    public static final ConfigOption<Integer> RESTART_ATTEMPTS = ConfigOptions.key("job.restart-attempts").intType()
            .defaultValue(10).withDescription("restarts before the job fails (FIXED_DELAY)");
    public static final ConfigOption<Duration> RESTART_DELAY = ConfigOptions.key("job.restart-delay").durationType()
            .defaultValue(Duration.ofSeconds(3))
            .withDescription("delay before a restart (the first one, for EXPONENTIAL_DELAY)");
    public static final ConfigOption<Duration> RESTART_MAX_DELAY = ConfigOptions.key("job.restart-max-delay")
            .durationType().defaultValue(Duration.ofMinutes(2))
            .withDescription("largest restart delay (EXPONENTIAL_DELAY)");

    static final OptionRules RULES = new OptionRules()
            .check(PARALLELISM, OptionRules.atLeast(1))
            .check(CHECKPOINT_INTERVAL, OptionRules.positive())
            .check(CHECKPOINT_TIMEOUT, OptionRules.positive())
            .check(TOLERABLE_CHECKPOINT_FAILURES, OptionRules.atLeast(0))
            .check(BUFFER_TIMEOUT, v -> v.compareTo(Duration.ofSeconds(1)) > 0 ? "must be at most 1s (every shuffle "
                    + "holds a record up to this long)" : null)
            .check(RESTART_ATTEMPTS, OptionRules.atLeast(1))
            .check(RESTART_DELAY, OptionRules.positive())
            .check(RESTART_MAX_DELAY, OptionRules.positive());

    private JobOptions() {}
}
