package io.paralleltranslation.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paralleltranslation.job.config.ConfigFixtures;
import io.paralleltranslation.job.config.JobConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class TranslationJobTest {

    private static Map<String, String> minimal() {
        return ConfigFixtures.minimalSettings("us-east-1");
    }

    @Test
    void selectsRocksDbExactlyOnceCheckpointsAndExponentialRestartsByDefault() {
        Configuration flink = TranslationJob.flinkConfiguration(JobConfig.of(minimal()));

        assertThat(flink.toMap()).containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
                .containsEntry("restart-strategy.type", "exponential-delay")
                .doesNotContainKeys("parallelism.default");
        assertThat(flink.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isFalse();
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(flink.get(CheckpointingOptions.ENABLE_UNALIGNED)).isTrue();
        assertThat(flink.get(CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)).isEqualTo(Duration.ofMinutes(10));
        assertThat(flink.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isEqualTo(150);
        assertThat(flink.get(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED)).isTrue();
        assertThat(flink.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void theBufferTimeoutReachesTheEnvironmentAndIsBounded() {
        Map<String, String> m = minimal();
        m.put("job.buffer-timeout", "0ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                TranslationJob.flinkConfiguration(JobConfig.of(m)));
        assertThat(env.getBufferTimeout()).isZero();
        assertThat(StreamExecutionEnvironment.getExecutionEnvironment(TranslationJob.flinkConfiguration(
                JobConfig.of(minimal()))).getBufferTimeout()).isEqualTo(10);
        m.put("job.buffer-timeout", "2s");
        assertThatThrownBy(() -> JobConfig.of(m)).hasMessageContaining("job.buffer-timeout")
                .hasMessageContaining("at most 1s");
    }

    @Test
    void checkpointsUnderBackpressureAreConfigurable() {
        Map<String, String> m = minimal();
        m.put("job.unaligned-checkpoints", "false");
        m.put("job.checkpoint-timeout", "3min");
        m.put("job.tolerable-checkpoint-failures", "0");
        m.put("job.buffer-debloat", "false");
        Configuration flink = TranslationJob.flinkConfiguration(JobConfig.of(m));

        assertThat(flink.get(CheckpointingOptions.ENABLE_UNALIGNED)).isFalse();
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)).isEqualTo(Duration.ofMinutes(3));
        assertThat(flink.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isZero();
        assertThat(flink.get(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED)).isFalse();
        m.put("job.aligned-checkpoint-timeout", "3min");
        assertThatThrownBy(() -> JobConfig.of(m)).hasMessageStartingWith("job.aligned-checkpoint-timeout: must be below");
        m.put("job.aligned-checkpoint-timeout", "1min");
        m.put("job.unaligned-checkpoints", "maybe");
        assertThatThrownBy(() -> JobConfig.of(m)).hasMessageContaining("job.unaligned-checkpoints")
                .hasMessageContaining("use true or false");
    }

    @Test
    void aFlinkKeyGivenUnderItsDeprecatedNameStillWinsOverTheDerivedValue() {
        Map<String, String> m = minimal();
        m.put("job.checkpoint-dir", "file:///tmp/from-job");
        m.put("flink.state.checkpoints.dir", "s3://bucket/from-flink");
        Configuration flink = TranslationJob.flinkConfiguration(JobConfig.of(m));

        assertThat(flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("s3://bucket/from-flink");
        assertThat(flink.toMap()).doesNotContainKey(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key());
    }

    @Test
    void mapsTheOtherChoicesAndLetsFlinkKeysWin() {
        Map<String, String> m = minimal();
        m.put("job.state-backend", "hashmap");
        m.put("job.restart-strategy", "FIXED_DELAY");
        m.put("job.restart-attempts", "4");
        m.put("job.restart-delay", "2s");
        m.put("job.parallelism", "3");
        m.put("job.checkpoint-dir", "file:///tmp/checkpoints");
        m.put("flink.execution.checkpointing.interval", "5 s");
        Configuration flink = TranslationJob.flinkConfiguration(JobConfig.of(m));

        assertThat(flink.toMap()).containsEntry("state.backend.type", "hashmap")
                .containsEntry("restart-strategy.type", "fixed-delay")
                .containsEntry("restart-strategy.fixed-delay.attempts", "4")
                .containsEntry("parallelism.default", "3")
                .containsEntry("execution.checkpointing.interval", "5 s");
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY)).isEqualTo(Duration.ofSeconds(2));
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/checkpoints");
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
    }
}
