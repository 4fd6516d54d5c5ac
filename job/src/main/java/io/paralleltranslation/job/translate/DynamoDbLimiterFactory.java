package io.paralleltranslation.job.translate;

import io.paralleltranslation.job.config.DynamoDbOptions;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.QuotaOptions;
import io.paralleltranslation.job.config.TranslateOptions;
import io.paralleltranslation.operators.translate.QuotaLimiterFactory;
import io.paralleltranslation.ratelimit.Acquisition;
import io.paralleltranslation.ratelimit.Grant;
import io.paralleltranslation.ratelimit.LimiterCounters;
import io.paralleltranslation.ratelimit.LimiterListener;
import io.paralleltranslation.ratelimit.QuotaConfig;
import io.paralleltranslation.ratelimit.QuotaLimiter;
import io.paralleltranslation.ratelimit.QuotaLimiters;
import io.paralleltranslation.ratelimit.QuotaOutlook;
import io.paralleltranslation.ratelimit.SharedQuotaLimiters;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Builds the global quota limiter on the task manager: ONE DynamoDB-backed limiter per quota item
 * per JVM ({@link SharedQuotaLimiters}), shared by every translate subtask in that JVM, so their
 * acquires batch into few conditional writes. The last subtask to close it closes the limiter and
 * its DynamoDB client. Holds only serializable settings.
 *
 * <p>The table is never created here: on AWS it is the deployment's job, locally the local run's
 * (before the job starts; creating it in a task's {@code open()} timed out on a loaded machine and
 * the aborted request killed dynalite). A missing table keeps the limiter in its fallback share,
 * logged.
 */
public final class DynamoDbLimiterFactory implements QuotaLimiterFactory {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbLimiterFactory.class);

    private final String table;
    private final String region;
    private final URI endpoint;
    private final String scope;
    private final long rpm;
    private final long tpm;
    private final long rpd;
    private final ZoneId dayZone;
    private final int instances;
    private final Duration windowMargin;
    private final Duration attemptTimeout;
    private final boolean zeroMarginAcknowledged;
    private final int expectedBurst;

    private DynamoDbLimiterFactory(JobConfig config, int instances, int expectedBurst) {
        this.table = config.get(DynamoDbOptions.TABLE);
        this.region = config.dynamodbRegion();
        this.endpoint = config.dynamodbEndpoint();
        this.scope = config.get(DynamoDbOptions.QUOTA_SCOPE);
        this.rpm = config.get(QuotaOptions.RPM);
        this.tpm = config.get(QuotaOptions.TPM);
        this.rpd = config.get(QuotaOptions.RPD);
        this.dayZone = config.quotaDayZone();
        this.instances = instances;
        this.windowMargin = config.get(QuotaOptions.WINDOW_MARGIN);
        this.attemptTimeout = config.dynamodbAttemptTimeout();
        this.zeroMarginAcknowledged = config.get(QuotaOptions.WINDOW_MARGIN_ZERO_ACKNOWLEDGED);
        this.expectedBurst = expectedBurst;
    }

    /**
     * @param parallelism the translate operator's parallelism: the number of limiter instances when
     *     {@code quota.instances} is unset (each subtask runs in at most one JVM, so it bounds them)
     */
    public static DynamoDbLimiterFactory from(JobConfig config, int parallelism) {
        Integer instances = config.get(QuotaOptions.INSTANCES);
        // One limiter serves every subtask in its JVM; how many share a JVM is not known here, so the
        // first burst is sized for all of them and the limiter caps it at its 1/P share.
        int expectedBurst = config.get(TranslateOptions.CAPACITY) * Math.max(1, parallelism);
        return new DynamoDbLimiterFactory(config, instances != null ? instances : Math.max(1, parallelism),
                expectedBurst);
    }

    QuotaConfig quotaConfig() {
        return QuotaConfig.builder(scope).requestsPerMinute(rpm).inputTokensPerMinute(tpm).requestsPerDay(rpd)
                .zone(dayZone).instances(instances).windowMargin(windowMargin)
                .acknowledgeZeroMargin(zeroMarginAcknowledged).expectedBurst(expectedBurst).build();
    }

    @Override
    public QuotaLimiter create() {
        String key = (endpoint == null ? "aws:" + region : endpoint.toString()) + "/" + table + "/" + scope;
        return SharedQuotaLimiters.get(key, this::newLimiter);
    }

    private QuotaLimiter newLimiter() {
        AwsCredentialsProvider credentials = endpoint == null ? DefaultCredentialsProvider.create()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        DynamoDbAsyncClient client = QuotaLimiters.dynamoDbClient(endpoint, Region.of(region), credentials,
                attemptTimeout);
        try {
            QuotaConfig quota = quotaConfig();
            LOG.info("Quota limiter on table {} ({}), attempt timeout {}: {}", table,
                    endpoint == null ? region : endpoint, attemptTimeout, quota);
            return new ClosingClient(QuotaLimiters.dynamoDb(client, table, quota, LimiterListener.NONE), client);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "DynamoDbLimiterFactory{table=" + table + ", endpoint=" + (endpoint == null ? region : endpoint)
                + ", " + quotaConfig() + "}";
    }

    /** The limiter, closing its own DynamoDB client after it ({@code QuotaLimiters.dynamoDb} does not). */
    private static final class ClosingClient implements QuotaLimiter {
        private final QuotaLimiter limiter;
        private final DynamoDbAsyncClient client;

        ClosingClient(QuotaLimiter limiter, DynamoDbAsyncClient client) {
            this.limiter = limiter;
            this.client = client;
        }

        @Override
        public CompletableFuture<Acquisition> acquire(long inputTokens) {
            return limiter.acquire(inputTokens);
        }

        @Override
        public CompletableFuture<Void> reconcile(Grant grant, long actualInputTokens) {
            return limiter.reconcile(grant, actualInputTokens);
        }

        @Override
        public CompletableFuture<Void> pushback(Instant pausedUntil) {
            return limiter.pushback(pausedUntil);
        }

        @Override
        public CompletableFuture<QuotaOutlook> outlook() {
            return limiter.outlook();
        }

        @Override
        public boolean inFallback() {
            return limiter.inFallback();
        }

        @Override
        public CompletableFuture<Void> refusedDespiteGrant(Instant pausedUntil) {
            return limiter.refusedDespiteGrant(pausedUntil);
        }

        @Override
        public Instant pausedUntil() {
            return limiter.pausedUntil();
        }

        @Override
        public Instant nextDayStart(Instant instant) {
            return limiter.nextDayStart(instant);
        }

        @Override
        public Optional<LimiterCounters> counters() {
            return limiter.counters();
        }

        @Override
        public void close() {
            try {
                limiter.close();
            } finally {
                client.close();
            }
        }
    }
}
