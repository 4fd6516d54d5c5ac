package io.paralleltranslation.job.quota;

import io.paralleltranslation.cli.Cli;
import io.paralleltranslation.cli.Durations;
import io.paralleltranslation.job.config.DynamoDbOptions;
import io.paralleltranslation.job.config.Endpoints;
import io.paralleltranslation.job.config.QuotaOptions;
import io.paralleltranslation.ratelimit.DynamoDbQuotaStore;
import io.paralleltranslation.ratelimit.QuotaAdmin;
import io.paralleltranslation.ratelimit.QuotaConfig;
import io.paralleltranslation.ratelimit.QuotaLimiters;
import io.paralleltranslation.ratelimit.QuotaStore;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * {@code bin/quota show|clear-pause}: prints a quota item (windows, day count, pause, fallback) or
 * clears its pause. Exit status: 0 done, 1 the table could not be read or written, 2 bad arguments.
 */
public final class QuotaTool {
    private static final String SHOW = "show";
    private static final String CLEAR_PAUSE = "clear-pause";

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    QuotaTool(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(new QuotaTool(System.out, System.err, Clock.systemUTC()).run(args));
    }

    int run(String[] args) {
        return Cli.run(new Options(), args, out, err, this::run);
    }

    private int run(Options options) {
        try (DynamoDbAsyncClient client = QuotaLimiters.dynamoDbClient(options.endpoint, Region.of(options.region),
                options.endpoint == null ? DefaultCredentialsProvider.create()
                        : StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                Duration.ofSeconds(10))) {
            return run(options, new DynamoDbQuotaStore(client, options.table));
        }
    }

    int run(Options options, QuotaStore store) {
        QuotaConfig config = options.config();
        try {
            if (options.command.equals(SHOW)) {
                out.print(QuotaAdmin.describe(options.scope, store.read(options.scope).get(), config, clock.instant()));
            } else if (QuotaAdmin.clearPause(store, config, clock.instant())) {
                out.println("pause cleared on " + options.scope);
            } else {
                out.println("no pause in force on " + options.scope);
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("quota: interrupted");
            return 1;
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            err.println("quota: could not reach the table " + options.table + ": " + cause.getMessage()
                    + " (check --endpoint, --region and credentials)");
            return 1;
        }
    }

    /** The command line; every default comes from the job's own options. */
    @Command(name = "quota", sortOptions = false, usageHelpAutoWidth = true,
            description = "Prints the quota item (windows, day count, pause, limit cut, last fallback merge) "
                    + "or clears its pause. Exit status: 0 done, 1 the table could not be read or written, "
                    + "2 bad arguments.")
    static final class Options implements Cli.Validated {
        @Parameters(index = "0", paramLabel = "show|clear-pause", description = "show: print the item; "
                + "clear-pause: remove its pause")
        String command;
        @Option(names = "--scope", paramLabel = "NAME", description = "the quota item (default: ${DEFAULT-VALUE}, "
                + "the job's dynamodb.quota-scope)")
        String scope = DynamoDbOptions.QUOTA_SCOPE.defaultValue();
        @Option(names = "--table", paramLabel = "NAME", description = "the table (default: ${DEFAULT-VALUE}, the "
                + "job's dynamodb.table)")
        String table = DynamoDbOptions.TABLE.defaultValue();
        @Option(names = "--endpoint", paramLabel = "URL", description = "DynamoDB endpoint override, e.g. a "
                + "stand-in (default: AWS)")
        URI endpoint;
        @Option(names = "--region", paramLabel = "R", description = "AWS region (default: ${DEFAULT-VALUE})")
        String region = Endpoints.DEFAULT_AWS_REGION;
        @Option(names = "--zone", paramLabel = "ZONE", converter = ZoneConverter.class,
                description = "time zone of the daily reset (default: ${DEFAULT-VALUE}, the job's quota.day-zone)")
        ZoneId zone = ZoneId.of(QuotaOptions.DAY_ZONE.defaultValue());
        @Option(names = "--margin", paramLabel = "DURATION", description = "the limiter's window margin, whole "
                + "seconds, e.g. 1s (default: ${DEFAULT-VALUE}, the job's quota.window-margin)")
        Duration margin = QuotaOptions.WINDOW_MARGIN.defaultValue();
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
        boolean help;

        @Override
        public void validate() {
            if (!command.equals(SHOW) && !command.equals(CLEAR_PAUSE)) {
                throw new IllegalArgumentException("the first argument must be show or clear-pause, not '" + command
                        + "'");
            }
            if (scope.trim().isEmpty()) {
                throw new IllegalArgumentException("--scope must not be empty");
            }
            if (margin.isNegative() || margin.getNano() != 0) {
                throw new IllegalArgumentException("--margin takes whole seconds, e.g. 1s, not "
                        + Durations.format(margin));
            }
            if (margin.compareTo(QuotaConfig.MAX_WINDOW_MARGIN) > 0) {
                throw new IllegalArgumentException("--margin must be at most "
                        + Durations.format(QuotaConfig.MAX_WINDOW_MARGIN) + " (the limiter refuses a wider one), not "
                        + Durations.format(margin));
            }
            config();
        }

        /** Only the zone and margin matter to reading the item (nothing is granted); the limits are not in it. */
        QuotaConfig config() {
            return QuotaConfig.builder(scope).requestsPerMinute(QuotaOptions.RPM.defaultValue())
                    .inputTokensPerMinute(QuotaOptions.TPM.defaultValue())
                    .requestsPerDay(QuotaOptions.RPD.defaultValue()).zone(zone).windowMargin(margin)
                    .acknowledgeZeroMargin(true).build();
        }
    }

    /** A time zone, refused with its flag named. */
    static final class ZoneConverter implements CommandLine.ITypeConverter<ZoneId> {
        @Override
        public ZoneId convert(String value) {
            try {
                return ZoneId.of(value);
            } catch (DateTimeException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a time zone (use a tz database "
                        + "name such as America/Los_Angeles)");
            }
        }
    }
}
