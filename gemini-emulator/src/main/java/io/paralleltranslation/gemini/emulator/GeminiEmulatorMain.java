package io.paralleltranslation.gemini.emulator;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator until the process is stopped. Flags (all optional):
 * <pre>
 * --port P                listen port on 127.0.0.1 (0 = free port; default 8089)
 * --api-key K             the only accepted key (default: any non-empty key)
 * --rpm N --tpm N --rpd N per-model limits, 0 = unlimited (default 0)
 * --paid-tier             quota ids without the -FreeTier suffix
 * --latency-ms X          base latency of a successful answer (default 0)
 * --latency-per-token-ms X  extra latency per output token (default 0)
 * --jitter-ms X           uniform jitter +-X (default 0)
 * --models a,b,c          known models (default: the 2.0 / 2.5 family)
 * --fault-rate F=P[,F=P]  e.g. 503=0.1,500=0.02 (fault names: see Fault)
 * --fault-next F:N[,F:N]  the next N admitted requests get fault F, in order
 * --fault-delay-ms X      how long a DELAY fault waits (default 300000)
 * --fault-slow-ms X       how long a SLOW fault waits (default 20000)
 * --seed S                seed of fault rates and jitter (default 1)
 * --no-log-texts          keep only SHA-256 digests of texts in the stats log
 * </pre>
 */
public final class GeminiEmulatorMain {
    private GeminiEmulatorMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        GeminiEmulator.Builder builder;
        try {
            builder = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("gemini-emulator: " + e.getMessage());
            usage(System.err);
            System.exit(2);
            return;
        }
        GeminiEmulator emulator;
        try {
            emulator = builder.start();
        } catch (IOException | RuntimeException e) {
            // Mostly a port in use: one line naming the fix, the stack trace only with --verbose.
            if (Boolean.getBoolean("cli.verbose")) {
                e.printStackTrace();
            }
            System.err.println("gemini-emulator: could not start: " + e.getMessage()
                    + " (another process on that port? pick one with --port N)");
            System.exit(1);
            return;
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
    }

    static GeminiEmulator.Builder parse(String[] args) {
        GeminiEmulator.Builder builder = GeminiEmulator.builder().port(8089);
        long rpm = 0;
        long tpm = 0;
        long rpd = 0;
        long latencyMs = 0;
        double perTokenMs = 0;
        long jitterMs = 0;
        long seed = 1;
        String rates = null;
        String next = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if ("--paid-tier".equals(flag)) {
                builder.freeTier(false);
                continue;
            }
            if ("--no-log-texts".equals(flag)) {
                builder.logTexts(false);
                continue;
            }
            if ("--help".equals(flag) || "-h".equals(flag)) {
                usage(System.out);
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--port":
                    builder.port(Integer.parseInt(value));
                    break;
                case "--api-key":
                    builder.apiKey(value);
                    break;
                case "--rpm":
                    rpm = Long.parseLong(value);
                    break;
                case "--tpm":
                    tpm = Long.parseLong(value);
                    break;
                case "--rpd":
                    rpd = Long.parseLong(value);
                    break;
                case "--latency-ms":
                    latencyMs = Long.parseLong(value);
                    break;
                case "--latency-per-token-ms":
                    perTokenMs = Double.parseDouble(value);
                    break;
                case "--jitter-ms":
                    jitterMs = Long.parseLong(value);
                    break;
                case "--models":
                    builder.knownModels(Arrays.asList(value.split(",")));
                    break;
                case "--fault-rate":
                    rates = value;
                    break;
                case "--fault-next":
                    next = value;
                    break;
                case "--fault-delay-ms":
                    builder.faultDelay(Duration.ofMillis(Long.parseLong(value)));
                    break;
                case "--fault-slow-ms":
                    builder.slowDelay(Duration.ofMillis(Long.parseLong(value)));
                    break;
                case "--seed":
                    seed = Long.parseLong(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        builder.limits(new QuotaLimits(rpm, tpm, rpd));
        builder.latency(new LatencyModel(latencyMs, perTokenMs, jitterMs)).latencySeed(seed);
        FaultPlan faults = new FaultPlan(seed);
        if (rates != null) {
            for (String rule : rates.split(",")) {
                String[] kv = split(rule, '=', "--fault-rate wants FAULT=PROBABILITY");
                faults.rate(Fault.byName(kv[0]), Double.parseDouble(kv[1]));
            }
        }
        if (next != null) {
            for (String rule : next.split(",")) {
                String[] kv = split(rule, ':', "--fault-next wants FAULT:COUNT");
                faults.next(Integer.parseInt(kv[1]), Fault.byName(kv[0]));
            }
        }
        return builder.faults(faults);
    }

    private static String[] split(String rule, char separator, String error) {
        int at = rule.lastIndexOf(separator);
        if (at <= 0 || at == rule.length() - 1) {
            throw new IllegalArgumentException(error + ": '" + rule + "'");
        }
        return new String[] {rule.substring(0, at), rule.substring(at + 1)};
    }

    private static void usage(PrintStream out) {
        out.println("usage: gemini-emulator [--port P] [--api-key K] [--rpm N] [--tpm N] [--rpd N] [--paid-tier]"
                + " [--latency-ms X] [--latency-per-token-ms X] [--jitter-ms X] [--models a,b]"
                + " [--fault-rate F=P,...] [--fault-next F:N,...] [--fault-delay-ms X] [--fault-slow-ms X] [--seed S] [--no-log-texts]");
        out.println("faults: 500, 503, DELAY, SLOW, DROP, SAFETY, RECITATION, PROHIBITED_CONTENT, BLOCKED, MAX_TOKENS, EMPTY");
    }
}
