package io.paralleltranslation.gemini.emulator;

import io.paralleltranslation.cli.Cli;
import io.paralleltranslation.cli.NonNegativeDurationConverter;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the emulator on 127.0.0.1 until the process is stopped; {@code --help} lists the flags. */
public final class GeminiEmulatorMain {
    private GeminiEmulatorMain() {}

    public static void main(String[] args) {
        int status = Cli.run(new Options(), args, System.out, System.err, GeminiEmulatorMain::serve);
        if (status != 0) {
            System.exit(status);
        }
    }

    private static int serve(Options options) throws InterruptedException {
        GeminiEmulator emulator;
        try {
            emulator = options.builder().start();
        } catch (IOException | RuntimeException e) {
            // Mostly a port in use: one line naming the fix, the stack trace only with --verbose.
            if (Boolean.getBoolean(Cli.VERBOSE_PROPERTY)) {
                e.printStackTrace();
            }
            System.err.println("gemini-emulator: could not start: " + e.getMessage()
                    + " (another process on that port? pick one with --port N)");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "gemini-emulator-shutdown"));
        System.out.println("gemini-emulator listening on " + emulator.baseUrl() + " (stats: " + emulator.baseUrl()
                + GeminiEmulator.STATS_PATH + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    @Command(name = "gemini-emulator", sortOptions = false, usageHelpAutoWidth = true,
            description = {"Serves Gemini's generateContent and countTokens on 127.0.0.1 with Gemini's quotas, "
                    + "latency and faults (docs/gemini.md); the request log at /emulator/stats.",
                "Faults: 500, 503, DELAY, SLOW, DROP, SAFETY, RECITATION, PROHIBITED_CONTENT, BLOCKED, MAX_TOKENS, "
                    + "EMPTY."})
    static final class Options implements Cli.Validated {
        @Option(names = "--port", paramLabel = "P", description = "listen port on 127.0.0.1, 0 = a free one "
                + "(default: ${DEFAULT-VALUE})")
        int port = 8089;
        @Option(names = "--api-key", paramLabel = "K", description = "the only accepted key (default: any non-empty "
                + "key)")
        String apiKey;
        @Option(names = "--rpm", paramLabel = "N", description = "requests per minute per model, 0 = unlimited "
                + "(default: ${DEFAULT-VALUE})")
        long rpm;
        @Option(names = "--tpm", paramLabel = "N", description = "input tokens per minute per model, 0 = unlimited "
                + "(default: ${DEFAULT-VALUE})")
        long tpm;
        @Option(names = "--rpd", paramLabel = "N", description = "requests per day per model, 0 = unlimited "
                + "(default: ${DEFAULT-VALUE})")
        long rpd;
        @Option(names = "--paid-tier", description = "quota ids without the -FreeTier suffix")
        boolean paidTier;
        @Option(names = "--latency", paramLabel = "DURATION", converter = NonNegativeDurationConverter.class, description = "base latency of a successful answer, "
                + "e.g. 200ms, 10s (default: none)")
        Duration latency = Duration.ZERO;
        @Option(names = "--latency-per-token-ms", paramLabel = "X", description = "milliseconds added per output "
                + "token (default: ${DEFAULT-VALUE})")
        double perTokenMillis;
        @Option(names = "--jitter", paramLabel = "DURATION", converter = NonNegativeDurationConverter.class, description = "uniform jitter +- this, e.g. 50ms "
                + "(default: none)")
        Duration jitter = Duration.ZERO;
        @Option(names = "--models", paramLabel = "MODEL", split = ",", description = "known models (default: the "
                + "2.0 / 2.5 family)")
        List<String> models;
        @Option(names = "--fault-rate", paramLabel = "F=P", split = ",", description = "fault probabilities, "
                + "e.g. 503=0.1,500=0.02")
        List<String> faultRates;
        @Option(names = "--fault-next", paramLabel = "F:N", split = ",", description = "the next N admitted "
                + "requests get fault F, in order")
        List<String> faultNext;
        @Option(names = "--fault-delay", paramLabel = "DURATION", converter = NonNegativeDurationConverter.class, description = "how long a DELAY fault holds its "
                + "answer, e.g. 5m (default: the emulator's, past a client's timeout)")
        Duration faultDelay;
        @Option(names = "--fault-slow", paramLabel = "DURATION", converter = NonNegativeDurationConverter.class, description = "how long a SLOW fault holds its "
                + "answer, e.g. 20s (default: the emulator's, within a client's timeout)")
        Duration faultSlow;
        @Option(names = "--seed", paramLabel = "S", description = "seed of fault rates and jitter (default: "
                + "${DEFAULT-VALUE})")
        long seed = 1;
        @Option(names = "--no-log-texts", description = "keep only SHA-256 digests of texts in the stats log")
        boolean noLogTexts;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
        boolean help;

        @Override
        public void validate() {
            atLeastZero("--rpm", rpm);
            atLeastZero("--tpm", tpm);
            atLeastZero("--rpd", rpd);
            if (!(perTokenMillis >= 0)) {
                throw new IllegalArgumentException("--latency-per-token-ms must be >= 0, got " + perTokenMillis);
            }
            // The fault rules are read only when the plan is built: build one to refuse a bad rule now.
            faultPlan();
        }

        /** The emulator these options describe, not started. */
        GeminiEmulator.Builder builder() {
            GeminiEmulator.Builder b = GeminiEmulator.builder().port(port);
            if (apiKey != null) {
                b.apiKey(apiKey);
            }
            if (paidTier) {
                b.freeTier(false);
            }
            if (noLogTexts) {
                b.logTexts(false);
            }
            if (models != null) {
                b.knownModels(models);
            }
            if (faultDelay != null) {
                b.faultDelay(faultDelay);
            }
            if (faultSlow != null) {
                b.slowDelay(faultSlow);
            }
            b.limits(new QuotaLimits(rpm, tpm, rpd));
            b.latency(new LatencyModel(latency.toMillis(), perTokenMillis, jitter.toMillis())).latencySeed(seed);
            return b.faults(faultPlan());
        }

        private FaultPlan faultPlan() {
            FaultPlan faults = new FaultPlan(seed);
            if (faultRates != null) {
                for (String rule : faultRates) {
                    String[] kv = split(rule, '=', "--fault-rate wants FAULT=PROBABILITY");
                    faults.rate(Fault.byName(kv[0]), number("--fault-rate", kv[1]));
                }
            }
            if (faultNext != null) {
                for (String rule : faultNext) {
                    String[] kv = split(rule, ':', "--fault-next wants FAULT:COUNT");
                    faults.next(count(kv[1]), Fault.byName(kv[0]));
                }
            }
            return faults;
        }
    }

    private static void atLeastZero(String flag, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(flag + " must be >= 0 (0 = unlimited), got " + value);
        }
    }

    private static double number(String flag, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": '" + text + "' is not a number");
        }
    }

    private static int count(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--fault-next: '" + text + "' is not a whole number");
        }
    }

    private static String[] split(String rule, char separator, String error) {
        int at = rule.lastIndexOf(separator);
        if (at <= 0 || at == rule.length() - 1) {
            throw new IllegalArgumentException(error + ": '" + rule + "'");
        }
        return new String[] {rule.substring(0, at), rule.substring(at + 1)};
    }
}
