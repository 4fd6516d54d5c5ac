package io.paralleltranslation.job.submit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paralleltranslation.cli.Cli;
import io.paralleltranslation.operators.parse.ChunkValidator;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import io.paralleltranslation.ratelimit.QuotaOutlook;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code bin/submit}: splits each document into chunk records and puts them on the Kinesis
 * stream. Prints each document's jobId on stdout (one a line, in argument order, once all were put
 * or one failed); progress and errors go to stderr. Before putting anything it prints what each document needs from the quota
 * ({@link Preflight}); with {@code --quota-table} also whether today's remaining requests, read from
 * the quota item, finish it. Exit status: 0 all put, 1 Kinesis refused records, 2 bad arguments or
 * input, 3 {@code --require-today} and today's quota cannot finish the documents (nothing put).
 */
public final class SubmitTool {
    private static final int PUT_ATTEMPTS = 8;
    private static final Duration BACKOFF_BASE = Duration.ofMillis(200);
    private static final Duration BACKOFF_CAP = Duration.ofSeconds(10);

    /**
     * The job's parse step with its default limits: a record it would dead-letter is refused here,
     * before anything is put, with the job's own reason.
     */
    private static final ChunkValidator JOB_VALIDATOR = new ChunkValidator();

    private final PrintStream err;
    private final Clock clock;

    SubmitTool(PrintStream err, Clock clock) {
        this.err = err;
        this.clock = clock;
    }

    /** What a submission did: its exit status and the jobIds of the documents it put, in file order. */
    public static final class Result {
        /** 0 all put, 1 Kinesis refused records, 2 bad input, 3 {@code --require-today} refused. */
        public final int status;
        /** The documents put before the status was known; all of them when it is 0. */
        public final List<String> documentIds;

        Result(int status, List<String> documentIds) {
            this.status = status;
            this.documentIds = List.copyOf(documentIds);
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine(args, System.out, System.err));
    }

    /** {@code bin/submit}: the jobIds on {@code out}, one a line, progress and errors on {@code err}. */
    static int commandLine(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new SubmitOptions(), args, out, err, options -> {
            Result result = submit(options, err, UnaryOperator.identity());
            result.documentIds.forEach(out::println);
            return result.status;
        });
    }

    /**
     * Submits in-process what {@code bin/submit} would, progress and errors on {@code err}; never
     * exits the JVM.
     *
     * @param kinesisCalls wrapped around the PutRecords call (the local run times the first and the last)
     */
    public static Result submit(SubmitOptions options, PrintStream err,
            UnaryOperator<RecordPublisher.PutRecordsCall> kinesisCalls) {
        SubmitTool tool = new SubmitTool(err, Clock.systemUTC());
        try (KinesisClient kinesis = KinesisClients.create(options.region(), options.endpoint)) {
            return tool.run(options, kinesisCalls.apply(kinesis::putRecords), () -> QuotaItem.read(options, tool.clock),
                    () -> tool.startApplication(options));
        }
    }

    /** Reads the quota's outlook for the preflight; null when no quota table was given. */
    @FunctionalInterface
    interface QuotaReader {
        QuotaOutlook read();
    }

    /**
     * {@code --start}: the application runs before anything is put (0), or why not is printed (1).
     * Called after every file was read and checked, so bad input starts nothing.
     */
    int startApplication(SubmitOptions options) {
        if (options.startApplication == null) {
            return 0;
        }
        return new ApplicationStarter(ManagedFlinkHttpApi.create(options.region(), options.managedFlinkEndpoint), err,
                d -> Thread.sleep(d.toMillis()), ApplicationStarter.DEFAULT_POLL_INTERVAL,
                ApplicationStarter.DEFAULT_TIMEOUT).ensureRunning(options.startApplication);
    }

    /**
     * @param quota today's quota for the preflight
     * @param beforePut runs once the input is checked and the preflight passed; a non-zero result is
     *     the exit status, nothing put
     */
    Result run(SubmitOptions options, RecordPublisher.PutRecordsCall kinesis, QuotaReader quota, IntSupplier beforePut) {
        List<List<ChunkRecord>> documents = new ArrayList<>();
        List<String> put = new ArrayList<>();
        try {
            Map<String, String> glossary = options.glossary == null ? null : readGlossary(options.glossary);
            // Read, chunk and check every file first, so one bad file puts nothing at all.
            for (Path file : options.files) {
                List<ChunkRecord> records = chunk(file, options, glossary);
                checkTheJobAccepts(file, records);
                documents.add(records);
            }
        } catch (IllegalArgumentException e) {
            err.println("submit: " + e.getMessage());
            return new Result(2, put);
        }
        QuotaOutlook outlook;
        try {
            outlook = quota.read();
        } catch (IllegalStateException e) {
            err.println("submit: " + e.getMessage());
            if (options.requireToday) {
                return new Result(2, put);
            }
            outlook = null;
        }
        List<String> notToday = new Preflight(err).check(documents, outlook, clock.instant());
        if (options.requireToday && !notToday.isEmpty()) {
            err.println("submit: --require-today: today's remaining quota cannot finish " + String.join(", ", notToday)
                    + "; nothing was put (submit without --require-today to let them wait for the next day)");
            return new Result(3, put);
        }
        int ready = beforePut.getAsInt();
        if (ready != 0) {
            return new Result(ready, put);
        }
        RecordPublisher publisher = new RecordPublisher(kinesis, options.stream, PUT_ATTEMPTS, BACKOFF_BASE,
                BACKOFF_CAP, d -> Thread.sleep(d.toMillis()));
        for (List<ChunkRecord> records : documents) {
            ChunkRecord first = records.get(0);
            List<RecordPublisher.Entry> entries = new ArrayList<>();
            for (ChunkRecord record : records) {
                entries.add(new RecordPublisher.Entry(record.partitionKey(), ChunkRecordCodec.toJsonBytes(record)));
            }
            err.println("submit: " + first.source + ": " + records.size() + " chunks, jobId " + first.jobId);
            try {
                publisher.publish(entries, done -> {
                    if (records.size() > RecordPublisher.MAX_RECORDS_PER_CALL || done == records.size()) {
                        err.println("submit: " + first.source + ": " + done + "/" + records.size() + " chunks put");
                    }
                });
            } catch (RecordPublisher.PublishException | SdkException e) {
                err.println("submit: " + first.source + " (jobId " + first.jobId + ") was not fully put: "
                        + e.getMessage());
                return new Result(1, put);
            } catch (IllegalArgumentException e) {
                err.println("submit: " + first.source + ": " + e.getMessage());
                return new Result(2, put);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("submit: interrupted while putting " + first.source);
                return new Result(1, put);
            }
            put.add(first.jobId);
        }
        return new Result(0, put);
    }

    private List<ChunkRecord> chunk(Path file, SubmitOptions options, Map<String, String> glossary) {
        String text = DocumentText.read(file);
        ChunkRecords.Document doc = new ChunkRecords.Document();
        doc.source = file.getFileName().toString();
        doc.jobId = options.jobId != null ? options.jobId
                : options.rerunOf != null ? ChunkRecords.rerunJobId(options.rerunOf, clock.instant())
                : ChunkRecords.newJobId(doc.source, options.targetLanguage);
        if (options.rerunOf != null) {
            err.println("submit: " + doc.source + ": rerun of " + options.rerunOf + " as " + doc.jobId
                    + "; chunks translated before come from the translation cache when the options match the first"
                    + " submission (--target-lang, --source-lang, --chunk-tokens, --context-tokens, --model, --glossary)");
        }
        doc.sourceLanguage = options.sourceLanguage;
        doc.targetLanguage = options.targetLanguage;
        doc.model = options.model;
        doc.glossary = glossary;
        doc.submittedAt = clock.instant();
        return ChunkRecords.build(text, doc, options.chunkTokens, options.contextTokens);
    }

    private static void checkTheJobAccepts(Path file, List<ChunkRecord> records) {
        for (ChunkRecord record : records) {
            ChunkValidator.Result result = JOB_VALIDATOR.validate(ChunkRecordCodec.toJsonBytes(record));
            if (!result.isValid()) {
                throw new IllegalArgumentException(file + ": chunk " + record.chunkIndex + " of " + record.totalChunks
                        + " would be dead-lettered by the job: " + result.reason()
                        + " (a smaller --chunk-tokens splits text; a fenced code block is never split)");
            }
        }
    }

    private static Map<String, String> readGlossary(Path file) {
        try {
            return new ObjectMapper().readValue(file.toFile(), new TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("glossary " + file
                    + " must be a JSON object of source term to translation: " + e.getMessage());
        }
    }
}
