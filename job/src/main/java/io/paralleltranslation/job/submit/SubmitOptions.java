package io.paralleltranslation.job.submit;

import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.operators.parse.ChunkValidator;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The submit tool's command line. */
final class SubmitOptions {
    static final String USAGE = "usage: submit --stream NAME_OR_ARN --target-lang LANG [--endpoint URL] [--region R]\n"
            + "              [--source-lang LANG] [--chunk-tokens N (3500)] [--context-tokens N (250)]\n"
            + "              [--job-id ID (one file only)] [--model M] [--glossary FILE.json]\n"
            + "              [--quota-table T [--quota-scope S (gemini)] [--dynamodb-endpoint URL] [--rpm N (10)]\n"
            + "               [--tpm N (250000)] [--rpd N (250)] [--require-today]]\n"
            + "              [--start APPLICATION [--managed-flink-endpoint URL]] FILE...\n"
            + "       submit --rerun JOBID [the first submission's options] FILE  (again under a new jobId;"
            + " with the translation cache only the chunks that were not translated are paid for)";

    String stream;
    URI endpoint;
    String region;
    String targetLanguage;
    String sourceLanguage;
    int chunkTokens = 3_500;
    int contextTokens = 250;
    String jobId;
    /** The jobId this submission reruns; it gets a new jobId derived from it. */
    String rerunOf;
    String model;
    Path glossary;
    /** The Managed Flink application to start (and wait for) before putting; null: none. */
    String startApplication;
    /** Managed Flink API endpoint override (a fake in tests); null: AWS's regional endpoint. */
    URI managedFlinkEndpoint;
    /** Where the preflight reads today's quota; null: it only prints what each document needs. */
    String quotaTable;
    String quotaScope = JobConfig.DYNAMODB_QUOTA_SCOPE.defaultValue();
    URI dynamodbEndpoint;
    int rpm = JobConfig.QUOTA_RPM.defaultValue();
    long tpm = JobConfig.QUOTA_TPM.defaultValue();
    int rpd = JobConfig.QUOTA_RPD.defaultValue();
    /** Refuse the submission unless today's remaining requests finish every document. */
    boolean requireToday;
    final List<Path> files = new ArrayList<>();

    /** Parses the arguments; throws {@link IllegalArgumentException} with what is wrong. */
    static SubmitOptions parse(String[] args) {
        SubmitOptions o = new SubmitOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                o.files.add(Paths.get(arg));
                continue;
            }
            if (arg.equals("--require-today")) {
                o.requireToday = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
                case "--stream":
                    o.stream = value;
                    break;
                case "--endpoint":
                    o.endpoint = URI.create(value);
                    break;
                case "--region":
                    o.region = value;
                    break;
                case "--target-lang":
                    o.targetLanguage = languageTag(arg, value);
                    break;
                case "--source-lang":
                    o.sourceLanguage = languageTag(arg, value);
                    break;
                case "--chunk-tokens":
                    o.chunkTokens = positive(arg, value);
                    break;
                case "--context-tokens":
                    o.contextTokens = positive(arg, value);
                    break;
                case "--job-id":
                    // The job's own rule: it dead-letters every chunk of any other jobId.
                    if (!ChunkValidator.JOB_ID.matcher(value).matches()) {
                        throw new IllegalArgumentException("--job-id may only use A-Z a-z 0-9 . _ - (1 to 128),"
                                + " starting with a letter or digit");
                    }
                    o.jobId = value;
                    break;
                case "--rerun":
                    if (!ChunkValidator.JOB_ID.matcher(value).matches()) {
                        throw new IllegalArgumentException("--rerun takes the jobId the first submission printed");
                    }
                    o.rerunOf = value;
                    break;
                case "--model":
                    o.model = value;
                    break;
                case "--glossary":
                    o.glossary = Paths.get(value);
                    break;
                case "--start":
                    o.startApplication = value;
                    break;
                case "--managed-flink-endpoint":
                    o.managedFlinkEndpoint = URI.create(value);
                    break;
                case "--quota-table":
                    o.quotaTable = value;
                    break;
                case "--quota-scope":
                    o.quotaScope = value;
                    break;
                case "--dynamodb-endpoint":
                    o.dynamodbEndpoint = URI.create(value);
                    break;
                case "--rpm":
                    o.rpm = positive(arg, value);
                    break;
                case "--tpm":
                    o.tpm = positive(arg, value);
                    break;
                case "--rpd":
                    o.rpd = positive(arg, value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (o.stream == null || o.targetLanguage == null || o.files.isEmpty()) {
            throw new IllegalArgumentException("--stream, --target-lang and at least one FILE are required");
        }
        if (o.jobId != null && o.files.size() > 1) {
            throw new IllegalArgumentException("--job-id names one document: give one FILE");
        }
        if (o.rerunOf != null && o.jobId != null) {
            throw new IllegalArgumentException("--rerun picks the new jobId itself: drop --job-id");
        }
        if (o.rerunOf != null && o.files.size() > 1) {
            throw new IllegalArgumentException("--rerun reruns one document: give its one FILE");
        }
        if (o.managedFlinkEndpoint != null && o.startApplication == null) {
            throw new IllegalArgumentException("--managed-flink-endpoint needs --start APPLICATION");
        }
        if (o.requireToday && o.quotaTable == null) {
            throw new IllegalArgumentException("--require-today needs --quota-table (and --quota-scope) to read "
                    + "today's remaining quota");
        }
        if (o.region == null) {
            o.region = regionOf(o.stream);
        }
        return o;
    }

    /** The job's own rule: it dead-letters every chunk whose language is not a BCP 47 tag. */
    static String languageTag(String option, String value) {
        if (!ChunkValidator.isLanguageTag(value)) {
            throw new IllegalArgumentException(option + " takes a BCP 47 language tag such as de, pt-BR or zh-Hant,"
                    + " not '" + value + "'");
        }
        return value;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a positive integer, not '" + value + "'");
    }

    /** The region in a stream ARN, else the SDK's usual environment variable, else us-east-1. */
    private static String regionOf(String stream) {
        String[] parts = stream.split(":");
        if (stream.startsWith("arn:") && parts.length > 3 && !parts[3].isEmpty()) {
            return parts[3];
        }
        String env = System.getenv("AWS_REGION");
        return env != null ? env : "us-east-1";
    }
}
