package io.paralleltranslation.job.local;

import io.paralleltranslation.operators.parse.ChunkValidator;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The command line of {@code bin/run-local}. Unknown or malformed flags are refused. */
final class LocalRunOptions {
    static final String USAGE = "usage: run-local [--docs DIR] [--out DIR] [--target-lang L] [--gemini-base-url URL]\n"
            + "                 [--rpm N] [--tpm N] [--rpd N] [--capacity N] [--parallelism N] [--chunk-tokens N]\n"
            + "                 [--max-wait DURATION] [--exit-when-done] [--set key=value]...\n"
            + "  --set takes any JobConfig key (also flink.*) and the emulator's keys emulator.latency-ms,\n"
            + "  emulator.jitter-ms, emulator.per-output-token-ms.";

    /** A demo-sized chunk budget (the submit tool's default, 3,500 tokens, makes one chunk of each sample). */
    static final int DEFAULT_CHUNK_TOKENS = 120;
    static final int DEFAULT_RPM = 120;
    static final long DEFAULT_TPM = 1_000_000L;
    static final int DEFAULT_RPD = 10_000;
    static final int DEFAULT_CAPACITY = 10;
    static final int DEFAULT_PARALLELISM = 2;
    /** Roughly what gemini-2.5-flash takes for a short chunk: a base, per output token, and jitter. */
    static final long DEFAULT_LATENCY_MS = 1_500;
    static final double DEFAULT_PER_OUTPUT_TOKEN_MS = 4.0;
    static final long DEFAULT_JITTER_MS = 500;

    static final String EMULATOR_PREFIX = "emulator.";
    private static final java.util.Set<String> VALUE_FLAGS = java.util.Set.of("--docs", "--out", "--target-lang",
            "--gemini-base-url", "--rpm", "--tpm", "--rpd", "--capacity", "--parallelism", "--chunk-tokens",
            "--max-wait", "--set");

    Path docs;
    Path out;
    String targetLanguage = "de";
    URI geminiBaseUrl;
    int rpm = DEFAULT_RPM;
    long tpm = DEFAULT_TPM;
    int rpd = DEFAULT_RPD;
    int capacity = DEFAULT_CAPACITY;
    int parallelism = DEFAULT_PARALLELISM;
    int chunkTokens = DEFAULT_CHUNK_TOKENS;
    long latencyMillis = DEFAULT_LATENCY_MS;
    double perOutputTokenMillis = DEFAULT_PER_OUTPUT_TOKEN_MS;
    long jitterMillis = DEFAULT_JITTER_MS;
    Duration maxWait = Duration.ofMinutes(30);
    boolean exitWhenDone;
    /** {@code --set} JobConfig keys, in order; they override what the local run derives. */
    final Map<String, String> settings = new LinkedHashMap<>();

    private LocalRunOptions() {}

    /**
     * @param defaultDocs the bundled samples, used without {@code --docs}
     * @param defaultOut used without {@code --out}
     */
    static LocalRunOptions parse(String[] args, Path defaultDocs, Path defaultOut) {
        LocalRunOptions o = new LocalRunOptions();
        o.docs = defaultDocs;
        o.out = defaultOut;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--exit-when-done")) {
                o.exitWhenDone = true;
                continue;
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException("help requested");
            }
            if (!VALUE_FLAGS.contains(flag)) {
                throw new IllegalArgumentException(flag.startsWith("--") ? "unknown flag '" + flag + "'"
                        : "unexpected argument '" + flag + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--docs":
                    o.docs = Paths.get(value);
                    break;
                case "--out":
                    o.out = Paths.get(value);
                    break;
                case "--target-lang":
                    if (!ChunkValidator.isLanguageTag(value)) {
                        throw new IllegalArgumentException("--target-lang takes a BCP 47 language tag such as de,"
                                + " pt-BR or zh-Hant");
                    }
                    o.targetLanguage = value;
                    break;
                case "--gemini-base-url":
                    o.geminiBaseUrl = url(value);
                    break;
                case "--rpm":
                    o.rpm = (int) positive(flag, value, Integer.MAX_VALUE);
                    break;
                case "--tpm":
                    o.tpm = positive(flag, value, Long.MAX_VALUE);
                    break;
                case "--rpd":
                    o.rpd = (int) positive(flag, value, Integer.MAX_VALUE);
                    break;
                case "--capacity":
                    o.capacity = (int) positive(flag, value, 1000);
                    break;
                case "--parallelism":
                    o.parallelism = (int) positive(flag, value, 64);
                    break;
                case "--chunk-tokens":
                    o.chunkTokens = (int) positive(flag, value, Integer.MAX_VALUE);
                    break;
                case "--max-wait":
                    o.maxWait = duration(flag, value);
                    break;
                case "--set":
                    o.set(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown flag '" + flag + "'");
            }
        }
        return o;
    }

    /** The emulator serves only when no real Gemini base URL was given. */
    boolean embeddedEmulator() {
        return geminiBaseUrl == null;
    }

    Map<String, String> settings() {
        return Collections.unmodifiableMap(settings);
    }

    private void set(String assignment) {
        int equals = assignment.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("--set needs key=value, got '" + assignment + "'");
        }
        String key = assignment.substring(0, equals).trim();
        String value = assignment.substring(equals + 1).trim();
        if (!key.startsWith(EMULATOR_PREFIX)) {
            settings.put(key, value);
            return;
        }
        String flag = "--set " + key;
        switch (key.substring(EMULATOR_PREFIX.length())) {
            case "latency-ms":
                latencyMillis = nonNegative(flag, value);
                break;
            case "jitter-ms":
                jitterMillis = nonNegative(flag, value);
                break;
            case "per-output-token-ms":
                try {
                    perOutputTokenMillis = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(flag + ": '" + value + "' is not a number");
                }
                if (!(perOutputTokenMillis >= 0)) {
                    throw new IllegalArgumentException(flag + ": must be >= 0");
                }
                break;
            default:
                throw new IllegalArgumentException("unknown emulator key '" + key
                        + "' (known: emulator.latency-ms, emulator.jitter-ms, emulator.per-output-token-ms)");
        }
    }

    private static long positive(String flag, String value, long max) {
        long n = number(flag, value);
        if (n < 1 || n > max) {
            throw new IllegalArgumentException(flag + " must be between 1 and " + max + ", got " + value);
        }
        return n;
    }

    private static long nonNegative(String flag, String value) {
        long n = number(flag, value);
        if (n < 0) {
            throw new IllegalArgumentException(flag + " must be >= 0, got " + value);
        }
        return n;
    }

    private static long number(String flag, String value) {
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, got '" + value + "'");
        }
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT90S}). */
    private static Duration duration(String flag, String value) {
        try {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            Duration d;
            if (v.startsWith("pt")) {
                d = Duration.parse(value.trim());
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                throw new IllegalArgumentException();
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(flag + " needs a positive duration like 90s, 5m or PT5M, got '"
                    + value + "'");
        }
    }

    private static URI url(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--gemini-base-url '" + value + "' is not a URL");
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("--gemini-base-url must be an http(s) URL, got '" + value + "'");
        }
        return uri;
    }
}
