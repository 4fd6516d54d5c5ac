package io.paralleltranslation.job.local;

import io.paralleltranslation.cli.Cli;
import io.paralleltranslation.cli.Durations;
import io.paralleltranslation.cli.NonNegativeDurationConverter;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.TranslateOptions;
import io.paralleltranslation.operators.parse.ChunkValidator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of {@code bin/run-local} ({@code --help} prints it). Unknown or malformed flags are refused. */
@Command(name = "run-local", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Runs the whole pipeline on this machine: stand-ins for Kinesis and DynamoDB, the Gemini "
                + "emulator (or a real Gemini with --gemini-base-url), the job in a local Flink with its dashboard; "
                + "submits the documents and prints a summary ending in a RESULT line.",
            "Exit status: 0 every document complete (with --exit-when-done), 1 a document did not complete or the "
                + "job failed, 2 bad arguments."})
final class LocalRunOptions implements Cli.Validated {
    static final String EMULATOR_PREFIX = "emulator.";
    /** Roughly what gemini-2.5-flash takes for a short chunk: a base, per output token, and jitter. */
    // Text, because --help's annotation takes only constants; read with the one duration syntax.
    private static final String EMULATOR_LATENCY_TEXT = "1500ms";
    private static final String EMULATOR_JITTER_TEXT = "500ms";
    private static final Duration EMULATOR_LATENCY = Durations.parse(EMULATOR_LATENCY_TEXT);
    private static final Duration EMULATOR_JITTER = Durations.parse(EMULATOR_JITTER_TEXT);
    /** The flag that sets job and emulator keys, named in their errors. */
    static final String SET = "--set";
    private static final double EMULATOR_PER_OUTPUT_TOKEN_MS = 4.0;

    @Option(names = "--docs", paramLabel = "DIR", description = "the documents to translate (default: the bundled "
            + "samples)")
    Path docs;
    @Option(names = "--out", paramLabel = "DIR", description = "where the output goes (default: "
            + "target/local-run/run-TIMESTAMP)")
    Path out;
    @Option(names = "--target-lang", paramLabel = "L", description = "BCP 47 language to translate into (default: "
            + "${DEFAULT-VALUE})")
    String targetLanguage = "de";
    @Option(names = "--gemini-base-url", paramLabel = "URL", description = "call this Gemini (key from "
            + "$GEMINI_API_KEY) instead of the embedded emulator")
    URI geminiBaseUrl;
    @Option(names = "--rpm", paramLabel = "N", description = "requests per minute, for the quota and the emulator "
            + "(default: ${DEFAULT-VALUE})")
    int rpm = 120;
    @Option(names = "--tpm", paramLabel = "N", description = "input tokens per minute, for both (default: "
            + "${DEFAULT-VALUE})")
    long tpm = 1_000_000L;
    @Option(names = "--rpd", paramLabel = "N", description = "requests per day, for both (default: ${DEFAULT-VALUE})")
    int rpd = 10_000;
    @Option(names = "--capacity", paramLabel = "N", description = "Gemini calls in flight per subtask, 1 to 1000 "
            + "(default: ${DEFAULT-VALUE}, the job's translate.capacity)")
    int capacity = TranslateOptions.CAPACITY.defaultValue();
    @Option(names = "--parallelism", paramLabel = "N", description = "the job's parallelism, 1 to 64 (default: "
            + "${DEFAULT-VALUE})")
    int parallelism = 2;
    /** A demo-sized chunk budget (the submit tool's default, 3,500 tokens, makes one chunk of each sample). */
    @Option(names = "--chunk-tokens", paramLabel = "N", description = "token budget of one chunk (default: "
            + "${DEFAULT-VALUE})")
    int chunkTokens = 120;
    @Option(names = "--max-wait", paramLabel = "DURATION", description = "how long to wait for every document, "
            + "e.g. 30m, 90s, PT1H (default: ${DEFAULT-VALUE})")
    Duration maxWait = Duration.ofMinutes(30);
    @Option(names = "--exit-when-done", description = "stop once every document has a final status (default: stay "
            + "up until Ctrl-C)")
    boolean exitWhenDone;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = {"any job config key (also flink.*); wins over "
            + "what the local run derives. Repeatable.",
        "With the embedded emulator also emulator.latency (base latency of an answer, default "
            + EMULATOR_LATENCY_TEXT + "), emulator.jitter (uniform +- jitter, default " + EMULATOR_JITTER_TEXT + "), "
            + "emulator.per-output-token-ms (default " + EMULATOR_PER_OUTPUT_TOKEN_MS + ")."})
    final List<String> assignments = new ArrayList<>();
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    boolean help;


    /**
     * @param defaultDocs the bundled samples, used without {@code --docs}
     * @param defaultOut used without {@code --out}
     */
    LocalRunOptions(Path defaultDocs, Path defaultOut) {
        this.docs = defaultDocs;
        this.out = defaultOut;
    }

    @Override
    public void validate() {
        if (!ChunkValidator.isLanguageTag(targetLanguage)) {
            throw new IllegalArgumentException("--target-lang takes a BCP 47 language tag such as de, pt-BR or "
                    + "zh-Hant");
        }
        if (geminiBaseUrl != null && (geminiBaseUrl.getHost() == null
                || !("http".equals(geminiBaseUrl.getScheme()) || "https".equals(geminiBaseUrl.getScheme())))) {
            throw new IllegalArgumentException("--gemini-base-url must be an http(s) URL, got '" + geminiBaseUrl + "'");
        }
        between("--rpm", rpm, Integer.MAX_VALUE);
        between("--tpm", tpm, Long.MAX_VALUE);
        between("--rpd", rpd, Integer.MAX_VALUE);
        between("--capacity", capacity, 1000);
        between("--parallelism", parallelism, 64);
        between("--chunk-tokens", chunkTokens, Integer.MAX_VALUE);
        if (maxWait.isZero() || maxWait.isNegative()) {
            throw new IllegalArgumentException("--max-wait must be positive, e.g. 30m");
        }
        Map<String, String> jobKeys = new LinkedHashMap<>();
        for (String assignment : assignments) {
            String[] keyValue = keyValue(assignment);
            if (keyValue[0].startsWith(EMULATOR_PREFIX)) {
                emulatorSetting(keyValue[0], keyValue[1]);
            } else {
                jobKeys.put(keyValue[0], keyValue[1]);
            }
        }
        // A bad job key or value is refused here, before anything starts; the checks across keys
        // wait for the whole config.
        JobConfig.checkValues(SET, jobKeys);
        LocalRun.restPort(jobKeys);
    }

    /** The emulator serves only when no real Gemini base URL was given. */
    boolean embeddedEmulator() {
        return geminiBaseUrl == null;
    }

    /** The job's keys given with {@code --set} (not the emulator's), in order; later ones win. */
    Map<String, String> settings() {
        Map<String, String> jobKeys = new LinkedHashMap<>();
        for (String assignment : assignments) {
            String[] keyValue = keyValue(assignment);
            if (!keyValue[0].startsWith(EMULATOR_PREFIX)) {
                jobKeys.put(keyValue[0], keyValue[1]);
            }
        }
        return jobKeys;
    }

    /** The emulator's base latency: {@code --set emulator.latency}, else the default. */
    long latencyMillis() {
        return emulatorDuration("latency", EMULATOR_LATENCY).toMillis();
    }

    /** The emulator's latency jitter: {@code --set emulator.jitter}, else the default. */
    long jitterMillis() {
        return emulatorDuration("jitter", EMULATOR_JITTER).toMillis();
    }

    /** The emulator's latency per output token: {@code --set emulator.per-output-token-ms}, else the default. */
    double perOutputTokenMillis() {
        String value = emulatorValue("per-output-token-ms");
        return value == null ? EMULATOR_PER_OUTPUT_TOKEN_MS : Double.parseDouble(value);
    }

    private Duration emulatorDuration(String name, Duration fallback) {
        String value = emulatorValue(name);
        return value == null ? fallback : Durations.parse(value);
    }

    /** The last {@code --set emulator.NAME=} value, null when none. */
    private String emulatorValue(String name) {
        String value = null;
        for (String assignment : assignments) {
            String[] keyValue = keyValue(assignment);
            if (keyValue[0].equals(EMULATOR_PREFIX + name)) {
                value = keyValue[1];
            }
        }
        return value;
    }

    private static String[] keyValue(String assignment) {
        int equals = assignment.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException(SET + " needs key=value, got '" + assignment + "'");
        }
        return new String[] {assignment.substring(0, equals).trim(), assignment.substring(equals + 1).trim()};
    }

    /** Checks one emulator key; {@link #latencyMillis()} and the others read it again. */
    private static void emulatorSetting(String key, String value) {
        String flag = SET + " " + key;
        switch (key.substring(EMULATOR_PREFIX.length())) {
            case "latency":
            case "jitter":
                NonNegativeDurationConverter.check(flag, value);
                break;
            case "per-output-token-ms":
                double millis;
                try {
                    millis = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(flag + ": '" + value + "' is not a number");
                }
                if (!(millis >= 0)) {
                    throw new IllegalArgumentException(flag + ": must be >= 0");
                }
                break;
            default:
                throw new IllegalArgumentException("unknown emulator key '" + key
                        + "' (known: emulator.latency, emulator.jitter, emulator.per-output-token-ms)");
        }
    }

    private static void between(String flag, long value, long max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(flag + " must be between 1 and " + max + ", got " + value);
        }
    }
}
