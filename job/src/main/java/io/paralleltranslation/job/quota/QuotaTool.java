package io.paralleltranslation.job.quota;

import io.paralleltranslation.job.config.JobConfig;
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
    static final String USAGE = "usage: bin/quota show|clear-pause [--scope NAME] [--table NAME] [--endpoint URL]"
            + " [--region R] [--zone ZONE] [--margin SECONDS] (defaults: the job's dynamodb.quota-scope,"
            + " dynamodb.table, AWS, us-east-1, quota.day-zone, quota.window-margin)";

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
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("quota: " + e.getMessage() + "; " + USAGE);
            return 2;
        }
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
            if (options.command.equals("show")) {
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

    /** The command line; every default comes from the job's own configuration keys. */
    static final class Options {
        String command;
        String scope = JobConfig.DYNAMODB_QUOTA_SCOPE.defaultValue();
        String table = JobConfig.DYNAMODB_TABLE.defaultValue();
        URI endpoint;
        String region = "us-east-1";
        ZoneId zone = JobConfig.QUOTA_DAY_ZONE.defaultValue();
        Duration margin = JobConfig.QUOTA_WINDOW_MARGIN.defaultValue();

        static Options parse(String[] args) {
            Options o = new Options();
            if (args.length == 0 || !(args[0].equals("show") || args[0].equals("clear-pause"))) {
                throw new IllegalArgumentException("the first argument must be show or clear-pause");
            }
            o.command = args[0];
            for (int i = 1; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--scope":
                        o.scope = value;
                        break;
                    case "--table":
                        o.table = value;
                        break;
                    case "--endpoint":
                        o.endpoint = URI.create(value);
                        break;
                    case "--region":
                        o.region = value;
                        break;
                    case "--zone":
                        try {
                            o.zone = ZoneId.of(value);
                        } catch (DateTimeException e) {
                            throw new IllegalArgumentException("--zone " + value + " is not a time zone");
                        }
                        break;
                    case "--margin":
                        try {
                            o.margin = Duration.ofSeconds(Long.parseLong(value));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--margin takes whole seconds, not " + value);
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (o.scope.trim().isEmpty()) {
                throw new IllegalArgumentException("--scope must not be empty");
            }
            o.config();
            return o;
        }

        /** Only the zone and margin matter to reading the item (nothing is granted); the limits are not in it. */
        QuotaConfig config() {
            return QuotaConfig.builder(scope).requestsPerMinute(JobConfig.QUOTA_RPM.defaultValue())
                    .inputTokensPerMinute(JobConfig.QUOTA_TPM.defaultValue())
                    .requestsPerDay(JobConfig.QUOTA_RPD.defaultValue()).zone(zone).windowMargin(margin)
                    .acknowledgeZeroMargin(true).build();
        }
    }
}
