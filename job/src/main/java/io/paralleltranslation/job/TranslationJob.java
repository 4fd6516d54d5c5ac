package io.paralleltranslation.job;

import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.sink.DocumentFile;
import io.paralleltranslation.job.sink.OutputSinks;
import io.paralleltranslation.job.source.KinesisSourceFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job: Kinesis chunk records in, the operators from {@code operators/} in the
 * middle, documents, status records and dead letters out. {@code main} only loads the config and
 * calls {@link #build}, so tests build the same pipeline with their own source.
 */
public final class TranslationJob {
    private static final Logger LOG = LoggerFactory.getLogger(TranslationJob.class);

    /** The operators' part of the pipeline: raw chunk records in, the job's three outputs out. */
    @FunctionalInterface
    public interface Stages {
        Outputs apply(DataStream<byte[]> records, JobConfig config);
    }

    /** What the stages hand to the sinks. */
    public static final class Outputs {
        public final DataStream<DocumentFile> documents;
        public final DataStream<String> statusLines;
        public final DataStream<String> deadLetterLines;

        public Outputs(DataStream<DocumentFile> documents, DataStream<String> statusLines,
                DataStream<String> deadLetterLines) {
            this.documents = documents;
            this.statusLines = statusLines;
            this.deadLetterLines = deadLetterLines;
        }
    }

    private TranslationJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfig.load(args);
        LOG.info("Starting with {}", config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        build(env, config, KinesisSourceFactory.create(config), operatorStages());
        env.execute(config.get(JobConfig.JOB_NAME));
    }

    /** Adds source, stages and sinks to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobConfig config, Source<byte[], ?, ?> source,
            Stages stages) {
        DataStream<byte[]> records = env.fromSource(source, WatermarkStrategy.noWatermarks(), "kinesis-chunks",
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .uid("kinesis-chunks");
        Outputs outputs = stages.apply(records, config);
        String output = config.get(JobConfig.OUTPUT_PATH);
        outputs.documents.sinkTo(OutputSinks.documents(output)).name("documents").uid("documents-sink");
        outputs.statusLines.sinkTo(OutputSinks.statusLines(output)).name("status").uid("status-sink");
        outputs.deadLetterLines.sinkTo(OutputSinks.deadLetterLines(output)).name("dead-letters")
                .uid("dead-letter-sink");
    }

    /*
     * WIRING POINT: parse/validate -> keyBy(jobId) dedup -> AsyncDataStream.unorderedWaitWithRetry
     * (capacity translate.capacity) -> keyBy(jobId) reassembly, from operators/, mapping their
     * TranslatedDocument / JobStatus / DeadLetter outputs to DocumentFile and JSON lines. Until
     * those operators exist the job refuses to start rather than pretend to translate.
     */
    static Stages operatorStages() {
        throw new IllegalStateException("the translation operators (parse, dedup, async translate, reassembly) "
                + "are not wired into TranslationJob yet");
    }

    /**
     * Flink settings derived from the config: RocksDB (or hashmap) state, exactly-once checkpoints,
     * the restart strategy and parallelism; {@code flink.*} keys are applied last and win. On
     * Managed Flink the service's own checkpoint and parallelism settings take precedence.
     */
    public static Configuration flinkConfiguration(JobConfig config) {
        Configuration flink = new Configuration();
        flink.setString("state.backend.type", config.get(JobConfig.JOB_STATE_BACKEND).name().toLowerCase(Locale.ROOT));
        flink.setString("execution.checkpointing.interval", millis(config.get(JobConfig.JOB_CHECKPOINT_INTERVAL)));
        flink.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        String checkpointDir = config.get(JobConfig.JOB_CHECKPOINT_DIR);
        if (checkpointDir != null) {
            flink.setString("state.checkpoints.dir", checkpointDir);
        }
        switch (config.get(JobConfig.JOB_RESTART_STRATEGY)) {
            case NONE:
                flink.setString("restart-strategy.type", "none");
                break;
            case FIXED_DELAY:
                flink.setString("restart-strategy.type", "fixed-delay");
                flink.setString("restart-strategy.fixed-delay.attempts",
                        Integer.toString(config.get(JobConfig.JOB_RESTART_ATTEMPTS)));
                flink.setString("restart-strategy.fixed-delay.delay", millis(config.get(JobConfig.JOB_RESTART_DELAY)));
                break;
            default:
                flink.setString("restart-strategy.type", "exponential-delay");
                flink.setString("restart-strategy.exponential-delay.initial-backoff",
                        millis(config.get(JobConfig.JOB_RESTART_DELAY)));
                flink.setString("restart-strategy.exponential-delay.max-backoff",
                        millis(config.get(JobConfig.JOB_RESTART_MAX_DELAY)));
                break;
        }
        Integer parallelism = config.get(JobConfig.JOB_PARALLELISM);
        if (parallelism != null) {
            flink.setString("parallelism.default", parallelism.toString());
        }
        for (Map.Entry<String, String> e : config.flinkSettings().entrySet()) {
            flink.setString(e.getKey(), e.getValue());
        }
        return flink;
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
