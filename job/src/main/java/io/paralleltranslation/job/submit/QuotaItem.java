package io.paralleltranslation.job.submit;

import io.paralleltranslation.job.config.Endpoints;
import io.paralleltranslation.ratelimit.DynamoDbQuotaStore;
import io.paralleltranslation.ratelimit.QuotaConfig;
import io.paralleltranslation.ratelimit.QuotaLimiters;
import io.paralleltranslation.ratelimit.QuotaOutlook;
import io.paralleltranslation.ratelimit.WindowState;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** Reads the quota item the job's limiter keeps (one GetItem, nothing written) for the submit tool's preflight. */
final class QuotaItem {
    private static final long TIMEOUT_SECONDS = 20;

    private QuotaItem() {}

    /** @return null without {@code --quota-table}; throws IllegalStateException naming the table when unreadable */
    static QuotaOutlook read(SubmitOptions options, Clock clock) {
        if (options.quotaTable == null) {
            return null;
        }
        QuotaConfig config = QuotaConfig.builder(options.quotaScope).requestsPerMinute(options.rpm)
                .inputTokensPerMinute(options.tpm).requestsPerDay(options.rpd).build();
        AwsCredentialsProvider credentials = options.dynamodbEndpoint != null
                && Endpoints.isLoopback(options.dynamodbEndpoint)
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.create();
        try (DynamoDbAsyncClient client = QuotaLimiters.dynamoDbClient(options.dynamodbEndpoint,
                Region.of(options.region()), credentials)) {
            WindowState state = new DynamoDbQuotaStore(client, options.quotaTable).read(options.quotaScope)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return QuotaOutlook.of(config, state, clock.instant());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new IllegalStateException("could not read the quota item " + options.quotaScope + " in table "
                    + options.quotaTable + ": " + (e.getCause() != null ? e.getCause() : e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the quota table " + options.quotaTable);
        }
    }
}
