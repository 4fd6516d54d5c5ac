package io.paralleltranslation.job.local;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.FailedCheckpointStats;
import org.apache.flink.runtime.checkpoint.StatsSummarySnapshot;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A local environment with the web UI (what {@code createLocalEnvironmentWithWebUI} gives) whose
 * MiniCluster the local run can read in-process: whether every task runs (sources read only then)
 * and the checkpoint statistics the dashboard shows. The job itself is started with
 * {@code executeAsync()} and driven through its {@code JobClient}; the MiniCluster shuts down when
 * the job ends, as Flink's own per-job local executor does.
 */
final class LocalFlink {
    private static final long READ_TIMEOUT_SECONDS = 10;

    private final StreamExecutionEnvironment environment;
    private volatile MiniCluster cluster;

    /** @param flink the job's Flink configuration; {@code rest.bind-port} is the dashboard's port */
    LocalFlink(Configuration flink) {
        Configuration config = new Configuration(flink);
        config.set(DeploymentOptions.TARGET, LocalExecutor.NAME);
        config.set(DeploymentOptions.ATTACHED, true);
        if (!config.contains(RestOptions.PORT)) {
            config.set(RestOptions.PORT, RestOptions.PORT.defaultValue());
        }
        PipelineExecutor executor = LocalExecutor.createWithFactory(config, miniClusterConfig -> {
            MiniCluster miniCluster = new MiniCluster(miniClusterConfig);
            cluster = miniCluster;
            return miniCluster;
        });
        PipelineExecutorFactory factory = new PipelineExecutorFactory() {
            @Override
            public String getName() {
                return LocalExecutor.NAME;
            }

            @Override
            public boolean isCompatibleWith(Configuration configuration) {
                return true;
            }

            @Override
            public PipelineExecutor getExecutor(Configuration configuration) {
                return executor;
            }
        };
        PipelineExecutorServiceLoader executors = new PipelineExecutorServiceLoader() {
            @Override
            public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
                return factory;
            }

            @Override
            public Stream<String> getExecutorNames() {
                return Stream.of(LocalExecutor.NAME);
            }
        };
        environment = new StreamExecutionEnvironment(executors, config, LocalFlink.class.getClassLoader());
    }

    StreamExecutionEnvironment environment() {
        return environment;
    }

    /** Whether every task of the running job is RUNNING: sources read, records put now are read now. */
    boolean allTasksRunning(JobID job) throws Exception {
        AccessExecutionGraph graph = graph(job);
        for (AccessExecutionJobVertex vertex : graph.getAllVertices().values()) {
            if (vertex.getAggregateState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    /**
     * The job's checkpoint statistics as one line: how many completed and failed, their end-to-end
     * duration (average and maximum) and checkpointed size, and the last failure's reason.
     */
    String checkpointSummary(JobID job) throws Exception {
        CheckpointStatsSnapshot stats = graph(job).getCheckpointStatsSnapshot();
        StatsSummarySnapshot duration = stats.getSummaryStats().getEndToEndDurationStats();
        StatsSummarySnapshot size = stats.getSummaryStats().getCheckpointedSize();
        FailedCheckpointStats failed = stats.getHistory().getLatestFailedCheckpoint();
        String lastFailure = failed == null || failed.getFailureMessage() == null ? ""
                : failed.getFailureMessage().lines().findFirst().orElse("");
        return String.format(Locale.ROOT, "checkpoints: %d completed, %d failed, duration avg %d ms max %d ms,"
                        + " size avg %d bytes%s",
                stats.getCounts().getNumberOfCompletedCheckpoints(), stats.getCounts().getNumberOfFailedCheckpoints(),
                duration.getAverage(), duration.getMaximum(), size.getAverage(),
                lastFailure.isEmpty() ? "" : " (last failure: " + lastFailure + ")");
    }

    private AccessExecutionGraph graph(JobID job) throws Exception {
        MiniCluster running = cluster;
        if (running == null) {
            throw new IllegalStateException("no job was started");
        }
        return running.getExecutionGraph(job).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
