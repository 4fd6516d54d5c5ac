package io.paralleltranslation.job.submit;

import io.paralleltranslation.cli.Cli;
import io.paralleltranslation.job.config.DynamoDbOptions;
import io.paralleltranslation.job.config.Endpoints;
import io.paralleltranslation.job.config.QuotaOptions;
import io.paralleltranslation.operators.parse.ChunkValidator;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The submit tool's command line ({@code bin/submit --help} prints it). To submit in-process build
 * one with {@link #of} and hand it to {@link SubmitTool#submit}.
 */
@Command(name = "submit", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Splits each FILE into chunk records and puts them on the Kinesis stream; prints each "
                + "document's jobId on stdout, one a line, in argument order.",
            "submit --rerun JOBID [the first submission's options] FILE submits a document again under a new "
                + "jobId; with the translation cache only the chunks that were not translated are paid for.",
            "Exit status: 0 all put, 1 Kinesis refused records, 2 bad arguments or input, 3 --require-today and "
                + "today's quota cannot finish the documents (nothing put)."})
public final class SubmitOptions implements Cli.Validated {
    @Option(names = "--stream", required = true, paramLabel = "NAME_OR_ARN", description = "the chunk stream")
    String stream;
    @Option(names = "--target-lang", required = true, paramLabel = "LANG",
            description = "BCP 47 language tag to translate into, e.g. de, pt-BR, zh-Hant")
    String targetLanguage;
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the documents (text or Markdown)")
    final List<Path> files = new ArrayList<>();
    @Option(names = "--endpoint", paramLabel = "URL", description = "Kinesis endpoint override (a stand-in)")
    URI endpoint;
    @Option(names = "--region", paramLabel = "R",
            description = "AWS region (default: the stream ARN's, else $AWS_REGION, else us-east-1)")
    String region;
    @Option(names = "--source-lang", paramLabel = "LANG", description = "the documents' language (default: the "
            + "model detects it)")
    String sourceLanguage;
    @Option(names = "--chunk-tokens", paramLabel = "N", description = "token budget of one chunk (default: "
            + "${DEFAULT-VALUE})")
    int chunkTokens = 3_500;
    @Option(names = "--context-tokens", paramLabel = "N", description = "tokens of the previous text sent as "
            + "context with each chunk (default: ${DEFAULT-VALUE})")
    int contextTokens = 250;
    @Option(names = "--job-id", paramLabel = "ID", description = "the document's jobId (one FILE only; default: "
            + "derived from the file name and language)")
    String jobId;
    /** The jobId this submission reruns; it gets a new jobId derived from it. */
    @Option(names = "--rerun", paramLabel = "JOBID", description = "rerun the document the first submission "
            + "printed this jobId for (one FILE)")
    String rerunOf;
    @Option(names = "--model", paramLabel = "M", description = "Gemini model for these documents (default: the "
            + "job's gemini.model)")
    String model;
    @Option(names = "--glossary", paramLabel = "FILE.json", description = "JSON object of source term to its "
            + "required translation")
    Path glossary;
    /** The Managed Flink application to start (and wait for) before putting; null: none. */
    @Option(names = "--start", paramLabel = "APPLICATION", description = "start this Managed Flink application "
            + "(and wait until it runs) before putting")
    String startApplication;
    /** Managed Flink API endpoint override (a fake in tests); null: AWS's regional endpoint. */
    @Option(names = "--managed-flink-endpoint", paramLabel = "URL", description = "Managed Flink API endpoint "
            + "override (with --start)")
    URI managedFlinkEndpoint;
    /** Where the preflight reads today's quota; null: it only prints what each document needs. */
    @Option(names = "--quota-table", paramLabel = "T", description = "read today's remaining quota from this "
            + "table and say whether it finishes each document")
    String quotaTable;
    @Option(names = "--quota-scope", paramLabel = "S", description = "the quota item (default: ${DEFAULT-VALUE})")
    String quotaScope = DynamoDbOptions.QUOTA_SCOPE.defaultValue();
    @Option(names = "--dynamodb-endpoint", paramLabel = "URL", description = "DynamoDB endpoint override (a "
            + "stand-in)")
    URI dynamodbEndpoint;
    @Option(names = "--rpm", paramLabel = "N", description = "the quota's requests per minute (default: "
            + "${DEFAULT-VALUE})")
    int rpm = QuotaOptions.RPM.defaultValue();
    @Option(names = "--tpm", paramLabel = "N", description = "the quota's input tokens per minute (default: "
            + "${DEFAULT-VALUE})")
    long tpm = QuotaOptions.TPM.defaultValue();
    @Option(names = "--rpd", paramLabel = "N", description = "the quota's requests per day (default: "
            + "${DEFAULT-VALUE})")
    int rpd = QuotaOptions.RPD.defaultValue();
    /** Refuse the submission unless today's remaining requests finish every document. */
    @Option(names = "--require-today", description = "put nothing unless today's remaining quota finishes every "
            + "document (needs --quota-table)")
    boolean requireToday;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    boolean help;

    /** Filled in by picocli, which then calls {@link #validate} ({@link Cli}). */
    SubmitOptions() {
    }

    /**
     * What {@code bin/submit --stream STREAM --endpoint ENDPOINT --region REGION --target-lang LANG
     * --chunk-tokens N FILE...} would take, checked the same way; throws
     * {@link IllegalArgumentException} naming the flag.
     */
    public static SubmitOptions of(String stream, URI endpoint, String region, String targetLanguage,
            int chunkTokens, List<Path> files) {
        SubmitOptions options = new SubmitOptions();
        options.stream = stream;
        options.endpoint = endpoint;
        options.region = region;
        options.targetLanguage = targetLanguage;
        options.chunkTokens = chunkTokens;
        options.files.addAll(files);
        options.validate();
        return options;
    }

    /** {@code --region}, else the stream ARN's, else {@code $AWS_REGION}, else us-east-1. */
    String region() {
        return region != null ? region : regionOf(stream);
    }

    @Override
    public void validate() {
        checkLanguageTag("--target-lang", targetLanguage);
        if (sourceLanguage != null) {
            checkLanguageTag("--source-lang", sourceLanguage);
        }
        positive("--chunk-tokens", chunkTokens);
        positive("--context-tokens", contextTokens);
        positive("--rpm", rpm);
        positive("--tpm", tpm);
        positive("--rpd", rpd);
        // The job's own rule: it dead-letters every chunk of any other jobId.
        if (jobId != null && !ChunkValidator.JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("--job-id may only use A-Z a-z 0-9 . _ - (1 to 128),"
                    + " starting with a letter or digit");
        }
        if (rerunOf != null && !ChunkValidator.JOB_ID.matcher(rerunOf).matches()) {
            throw new IllegalArgumentException("--rerun takes the jobId the first submission printed");
        }
        if (jobId != null && files.size() > 1) {
            throw new IllegalArgumentException("--job-id names one document: give one FILE");
        }
        if (rerunOf != null && jobId != null) {
            throw new IllegalArgumentException("--rerun picks the new jobId itself: drop --job-id");
        }
        if (rerunOf != null && files.size() > 1) {
            throw new IllegalArgumentException("--rerun reruns one document: give its one FILE");
        }
        if (managedFlinkEndpoint != null && startApplication == null) {
            throw new IllegalArgumentException("--managed-flink-endpoint needs --start APPLICATION");
        }
        if (requireToday && quotaTable == null) {
            throw new IllegalArgumentException("--require-today needs --quota-table (and --quota-scope) to read "
                    + "today's remaining quota");
        }
    }

    /** The job's own rule: it dead-letters every chunk whose language is not a BCP 47 tag. */
    static void checkLanguageTag(String option, String value) {
        if (!ChunkValidator.isLanguageTag(value)) {
            throw new IllegalArgumentException(option + " takes a BCP 47 language tag such as de, pt-BR or zh-Hant,"
                    + " not '" + value + "'");
        }
    }

    private static void positive(String option, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be a positive integer, not '" + value + "'");
        }
    }

    /** The region in a stream ARN, else the SDK's usual environment variable, else us-east-1. */
    private static String regionOf(String stream) {
        String[] parts = stream.split(":");
        if (stream.startsWith("arn:") && parts.length > 3 && !parts[3].isEmpty()) {
            return parts[3];
        }
        String env = System.getenv("AWS_REGION");
        return env != null ? env : Endpoints.DEFAULT_AWS_REGION;
    }
}
