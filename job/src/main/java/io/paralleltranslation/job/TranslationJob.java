package io.paralleltranslation.job;

import io.paralleltranslation.job.config.DynamoDbOptions;
import io.paralleltranslation.job.config.GeminiOptions;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.JobOptions;
import io.paralleltranslation.job.config.OutputOptions;
import io.paralleltranslation.job.config.QuotaOptions;
import io.paralleltranslation.job.config.TranslateOptions;
import io.paralleltranslation.job.sink.CompleteDocumentJoin;
import io.paralleltranslation.job.sink.DocumentFile;
import io.paralleltranslation.job.sink.DocumentNames;
import io.paralleltranslation.job.sink.OutputSinks;
import io.paralleltranslation.job.source.KinesisSourceFactory;
import io.paralleltranslation.job.translate.DynamoDbCacheFactory;
import io.paralleltranslation.job.translate.DynamoDbLimiterFactory;
import io.paralleltranslation.job.translate.GeminiClientFactory;
import io.paralleltranslation.operators.admit.AdmissionGate;
import io.paralleltranslation.operators.dedup.DeduplicateChunksFunction;
import io.paralleltranslation.operators.parse.ChunkValidator;
import io.paralleltranslation.operators.parse.ParseChunkFunction;
import io.paralleltranslation.operators.reassemble.AcceptedNotices;
import io.paralleltranslation.operators.reassemble.DeadLetterResults;
import io.paralleltranslation.operators.reassemble.ReassembleDocumentFunction;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.DeadLetter;
import io.paralleltranslation.operators.records.JobIdKeys;
import io.paralleltranslation.operators.records.JobStatus;
import io.paralleltranslation.operators.records.JsonLines;
import io.paralleltranslation.operators.records.OutputTags;
import io.paralleltranslation.operators.records.TranslatedChunk;
import io.paralleltranslation.operators.records.TranslatedDocument;
import io.paralleltranslation.operators.translate.QuotaLimiterFactory;
import io.paralleltranslation.operators.translate.TranslateChunkFunction;
import io.paralleltranslation.operators.translate.TranslateSettings;
import io.paralleltranslation.operators.translate.TranslationCacheFactory;
import io.paralleltranslation.operators.translate.TranslationClientFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job: Kinesis chunk records in, the operators from {@code operators/} in the
 * middle, documents, status records and dead letters out. {@code main} only loads the config and
 * builds the production job ({@link #build(StreamExecutionEnvironment, JobConfig)}: the Kinesis
 * source, {@link #operatorStages()}), as the local run does; tests build the same pipeline with
 * their own source, clients or limiters.
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
        /** What FAILED and INCOMPLETE documents translated, with markers for the chunks they lack; may be null. */
        public final DataStream<DocumentFile> partialDocuments;

        public Outputs(DataStream<DocumentFile> documents, DataStream<String> statusLines,
                DataStream<String> deadLetterLines, DataStream<DocumentFile> partialDocuments) {
            this.documents = documents;
            this.statusLines = statusLines;
            this.deadLetterLines = deadLetterLines;
            this.partialDocuments = partialDocuments;
        }
    }

    static final String USAGE = "usage: TranslationJob [--config FILE.json] [--group.key value ...]\n"
            + "Managed Flink runtime properties, then FILE.json ({\"group\": {\"key\": value}}), then the arguments;"
            + " the keys:";

    private TranslationJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            System.out.print(JobConfig.markdownTable());
            return;
        }
        JobConfig config = JobConfig.load(args);
        LOG.info("Starting with {}", config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        build(env, config);
        env.execute(config.get(JobOptions.NAME));
    }

    /** The production job on {@code env}: the Kinesis source, the operators over Gemini and DynamoDB, the sinks. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        build(env, config, KinesisSourceFactory::addTo, operatorStages());
    }

    /** Where the raw chunk records come from: the Kinesis stream in production, anything in tests. */
    @FunctionalInterface
    public interface RecordSource {
        DataStream<byte[]> addTo(StreamExecutionEnvironment env, JobConfig config);
    }

    /** Adds source, stages and sinks to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobConfig config, RecordSource source, Stages stages) {
        DataStream<byte[]> records = source.addTo(env, config);
        Outputs outputs = stages.apply(records, config);
        String output = config.get(OutputOptions.PATH);
        outputs.documents.sinkTo(OutputSinks.documents(output)).name("documents").uid("documents-sink");
        outputs.statusLines.sinkTo(OutputSinks.statusLines(output)).name("status").uid("status-sink");
        outputs.deadLetterLines.sinkTo(OutputSinks.deadLetterLines(output)).name("dead-letters")
                .uid("dead-letter-sink");
        if (outputs.partialDocuments != null) {
            outputs.partialDocuments.sinkTo(OutputSinks.partialDocuments(output)).name("partial-documents")
                    .uid("partial-documents-sink");
        }
    }

    /** The production stages: the Gemini client, the DynamoDB limiter and cache the config describes. */
    public static Stages operatorStages() {
        return (records, config) -> operatorStages(GeminiClientFactory.from(config),
                DynamoDbLimiterFactory.from(config, records.getExecutionEnvironment().getParallelism()),
                Clock.systemUTC()).apply(records, config);
    }

    /**
     * The same stages over the given clients and limiters, on the clock the limiters run on (tests
     * pass stand-ins and a moved clock), with the DynamoDB translation cache the config describes.
     */
    public static Stages operatorStages(TranslationClientFactory clients, QuotaLimiterFactory limiters, Clock clock) {
        return (records, config) -> wire(records, config, clients, limiters, DynamoDbCacheFactory.from(config), clock);
    }

    /**
     * parse -> keyBy(jobId) dedup -> keyBy(quota scope) admission gate -> rebalance -> async translate (unordered, capacity translate.capacity) ->
     * keyBy(jobId) reassembly, which also gets dedup's ACCEPTED notices and the dead letters that name a chunk. Every operator has a stable uid, so savepoints survive changes
     * around it.
     */
    private static Outputs wire(DataStream<byte[]> records, JobConfig config, TranslationClientFactory clients,
            QuotaLimiterFactory limiters, TranslationCacheFactory caches, Clock clock) {
        SingleOutputStreamOperator<ChunkRecord> parsed = records
                .process(new ParseChunkFunction(new ChunkValidator(config.get(TranslateOptions.MAX_CHUNK_CHARS),
                        ChunkValidator.DEFAULT_MAX_TOTAL_CHUNKS)))
                .name("parse").uid("parse");
        SingleOutputStreamOperator<ChunkRecord> unique = parsed.keyBy(new JobIdKeys.OfChunk())
                .process(new DeduplicateChunksFunction(config.get(TranslateOptions.DEDUP_RETENTION)))
                .name("dedup").uid("dedup");
        TranslateSettings retries = new TranslateSettings(config.get(TranslateOptions.BACKOFF_BASE),
                config.get(TranslateOptions.BACKOFF_CAP), config.get(TranslateOptions.MAX_ATTEMPTS),
                config.get(TranslateOptions.MAX_QUOTA_REFUSALS))
                .withChunkTimeout(config.get(TranslateOptions.CHUNK_TIMEOUT));
        // Dedup is keyed by jobId, so without a rebalance every chunk of one document would reach
        // one translate subtask and a single document could use only `capacity` calls, not
        // capacity x parallelism. The function bounds a chunk's active work itself; Flink's own
        // timeout is the document backstop, above a day, so chunks parked for the daily quota live.
        SingleOutputStreamOperator<TranslatedChunk> translated = AsyncDataStream.unorderedWait(
                        admit(unique, config, limiters, clock).rebalance(),
                        new TranslateChunkFunction(clients, limiters, retries, clock)
                                .withCache(caches, DynamoDbCacheFactory.keys(config)),
                        config.get(TranslateOptions.DOCUMENT_BACKSTOP).toMillis(), TimeUnit.MILLISECONDS,
                        config.get(TranslateOptions.CAPACITY))
                .name("translate").uid("translate");
        // Reassembly hears of every chunk three ways: accepted (dedup let it through), its one
        // translation result, or a dead letter naming it; so it can tell waiting from missing. The
        // dedup step's notices of dropped duplicates come along for the document's status.
        DataStream<TranslatedChunk> accepted = unique.process(new AcceptedNotices()).name("accepted-notices")
                .uid("accepted-notices");
        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(OutputTags.DEAD_LETTERS)
                .union(unique.getSideOutput(OutputTags.DEAD_LETTERS));
        DataStream<TranslatedChunk> deadLetterResults = deadLetters.flatMap(new DeadLetterResults())
                .name("dead-letter-results").uid("dead-letter-results");
        SingleOutputStreamOperator<TranslatedDocument> documents = translated
                .union(accepted, deadLetterResults, unique.getSideOutput(OutputTags.DROPPED_DUPLICATES))
                .keyBy(new JobIdKeys.OfResult())
                .process(new ReassembleDocumentFunction(config.get(TranslateOptions.INACTIVITY_TIMEOUT),
                        config.get(TranslateOptions.DOCUMENT_BACKSTOP), config.get(TranslateOptions.DEDUP_RETENTION),
                        limiters, config.geminiPrices(), config.get(GeminiOptions.MODEL)))
                .name("reassemble").uid("reassemble");

        // A COMPLETE status travels with its document, so the document sink writes it after the file.
        DataStream<JobStatus> statuses = documents.getSideOutput(OutputTags.JOB_STATUS);
        DataStream<DocumentFile> files = documents.keyBy(new CompleteDocumentJoin.DocumentKey())
                .connect(statuses.filter(new CompleteDocumentJoin.IsComplete(true)).name("complete-statuses")
                        .uid("complete-statuses")
                        .keyBy(new CompleteDocumentJoin.StatusKey()))
                .process(new CompleteDocumentJoin(config.get(OutputOptions.PATH))).name("document-files")
                .uid("document-files");
        DataStream<String> statusLines = statuses.filter(new CompleteDocumentJoin.IsComplete(false))
                .name("other-statuses").uid("other-statuses")
                .map(new ToJsonLine<JobStatus>()).returns(Types.STRING).name("status-lines").uid("status-lines");
        DataStream<String> deadLetterLines = deadLetters.map(new ToJsonLine<DeadLetter>()).returns(Types.STRING).name("dead-letter-lines")
                .uid("dead-letter-lines");
        DataStream<DocumentFile> partialFiles = documents.getSideOutput(OutputTags.PARTIAL_DOCUMENTS)
                .map(new ToPartialDocumentFile()).name("partial-document-files").uid("partial-document-files");
        return new Outputs(files, statusLines, deadLetterLines, partialFiles);
    }

    /**
     * The admission gate (on unless translate.admission-gate=false): keyed by the quota scope, so the
     * backlog waits in its checkpointed state in submission order rather than in the async queue.
     */
    private static DataStream<ChunkRecord> admit(DataStream<ChunkRecord> unique, JobConfig config,
            QuotaLimiterFactory limiters, Clock clock) {
        if (!config.get(TranslateOptions.ADMISSION_GATE)) {
            return unique;
        }
        int headroom = config.get(TranslateOptions.CAPACITY) * unique.getExecutionEnvironment().getParallelism();
        // The limiter's sliding minute is 61 s plus its margin (docs/rate-limiter.md).
        Duration window = Duration.ofSeconds(61).plus(config.get(QuotaOptions.WINDOW_MARGIN));
        return unique.keyBy(new AdmissionGate.ScopeKey(config.get(DynamoDbOptions.QUOTA_SCOPE)))
                .process(new AdmissionGate(limiters, clock, config.get(QuotaOptions.RPM),
                        config.get(QuotaOptions.TPM), window, Math.max(1, headroom)))
                .name("admission-gate").uid("admission-gate");
    }

    /** A FAILED or INCOMPLETE document's text, with markers for its missing chunks; its status travels apart. */
    static final class ToPartialDocumentFile implements MapFunction<TranslatedDocument, DocumentFile> {
        private static final long serialVersionUID = 1L;

        @Override
        public DocumentFile map(TranslatedDocument document) {
            return new DocumentFile(document.jobId, DocumentNames.fileName(document.source, document.targetLanguage),
                    document.text, null);
        }
    }

    static final class ToJsonLine<T> implements MapFunction<T, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String map(T record) {
            return JsonLines.toLine(record);
        }
    }

    /**
     * Flink settings derived from the config: RocksDB (or hashmap) state, exactly-once checkpoints
     * that complete under backpressure (unaligned, a timeout, tolerated failures, buffer debloating),
     * the restart strategy and parallelism; {@code flink.*} keys are applied last and win. On
     * Managed Flink the service's own checkpoint and parallelism settings take precedence.
     */
    public static Configuration flinkConfiguration(JobConfig config) {
        Map<String, String> given = config.flinkSettings();
        Configuration flink = new Configuration();
        derive(flink, given, StateBackendOptions.STATE_BACKEND,
                config.get(JobOptions.STATE_BACKEND).name().toLowerCase(Locale.ROOT));
        derive(flink, given, CheckpointingOptions.CHECKPOINTING_INTERVAL, config.get(JobOptions.CHECKPOINT_INTERVAL));
        derive(flink, given, CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        // Under a backlog the async queue is full and aligned barriers wait behind it for minutes;
        // unaligned checkpoints (after a short aligned phase) and debloated buffers keep them bounded,
        // and a few expired ones are tolerated rather than restarting and re-paying calls.
        derive(flink, given, CheckpointingOptions.CHECKPOINTING_TIMEOUT, config.get(JobOptions.CHECKPOINT_TIMEOUT));
        derive(flink, given, CheckpointingOptions.TOLERABLE_FAILURE_NUMBER,
                config.get(JobOptions.TOLERABLE_CHECKPOINT_FAILURES));
        derive(flink, given, CheckpointingOptions.ENABLE_UNALIGNED, config.get(JobOptions.UNALIGNED_CHECKPOINTS));
        derive(flink, given, CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT, config.get(JobOptions.ALIGNED_CHECKPOINT_TIMEOUT));
        derive(flink, given, TaskManagerOptions.BUFFER_DEBLOAT_ENABLED, config.get(JobOptions.BUFFER_DEBLOAT));
        derive(flink, given, ExecutionOptions.BUFFER_TIMEOUT, config.get(JobOptions.BUFFER_TIMEOUT));
        String checkpointDir = config.get(JobOptions.CHECKPOINT_DIR);
        if (checkpointDir != null) {
            derive(flink, given, CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        switch (config.get(JobOptions.RESTART_STRATEGY)) {
            case NONE:
                derive(flink, given, RestartStrategyOptions.RESTART_STRATEGY, "none");
                break;
            case FIXED_DELAY:
                derive(flink, given, RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                derive(flink, given, RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                        config.get(JobOptions.RESTART_ATTEMPTS));
                derive(flink, given, RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, config.get(JobOptions.RESTART_DELAY));
                break;
            default:
                derive(flink, given, RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
                derive(flink, given, RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                        config.get(JobOptions.RESTART_DELAY));
                derive(flink, given, RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                        config.get(JobOptions.RESTART_MAX_DELAY));
                break;
        }
        Integer parallelism = config.get(JobOptions.PARALLELISM);
        if (parallelism != null) {
            derive(flink, given, CoreOptions.DEFAULT_PARALLELISM, parallelism);
        }
        // flink.* keys are Flink's own, unknown to this job: they go in as Flink reads them from its files.
        flink.addAll(Configuration.fromMap(config.flinkSettings()));
        return flink;
    }

    /**
     * Sets a value the job derives from its own options unless {@code flink.*} gives the option under
     * its key or one of its deprecated ones: Flink reads the current key first, so a derived value
     * there would hide the alias a user set (e.g. {@code state.checkpoints.dir}).
     */
    private static <T> void derive(Configuration flink, Map<String, String> given, ConfigOption<T> option, T value) {
        if (given.containsKey(option.key())) {
            return;
        }
        for (FallbackKey fallback : option.fallbackKeys()) {
            if (given.containsKey(fallback.getKey())) {
                return;
            }
        }
        flink.set(option, value);
    }
}
