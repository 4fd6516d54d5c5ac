package io.paralleltranslation.ratelimit;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;

/**
 * Ready-made limiters. Create ONE limiter per scope per JVM and share it between every caller in
 * that JVM: its batching is what keeps store calls per grant low.
 */
public final class QuotaLimiters {
    private QuotaLimiters() {}

    /**
     * A limiter over {@code tableName} (see {@link QuotaTable}); it does not close {@code client}.
     * {@code listener} receives its metrics (see {@link LimiterCounters}).
     */
    public static QuotaLimiter dynamoDb(DynamoDbAsyncClient client, String tableName, QuotaConfig config,
            LimiterListener listener) {
        return WindowQuotaLimiter.builder(new DynamoDbQuotaStore(client, tableName), config)
                .listener(listener)
                .build();
    }

    /**
     * A DynamoDB client for the limiter: short timeouts, so that an unreachable or throttled table
     * sends the limiter into its fallback within seconds rather than stalling grants.
     *
     * @param endpoint null for the region's DynamoDB, or e.g. a local stand-in's URL
     */
    public static DynamoDbAsyncClient dynamoDbClient(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        return dynamoDbClient(endpoint, region, credentials, Duration.ofSeconds(2));
    }

    /**
     * As {@link #dynamoDbClient(URI, Region, AwsCredentialsProvider)}, with {@code attemptTimeout}
     * per HTTP attempt (the standard retry policy makes up to three, within 2.5 times that).
     */
    public static DynamoDbAsyncClient dynamoDbClient(URI endpoint, Region region, AwsCredentialsProvider credentials,
            Duration attemptTimeout) {
        DynamoDbAsyncClientBuilder builder = DynamoDbAsyncClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .connectionTimeout(attemptTimeout)
                        .maxConcurrency(64))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(attemptTimeout)
                        .apiCallTimeout(attemptTimeout.multipliedBy(5).dividedBy(2))
                        .retryStrategy(RetryMode.STANDARD)
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }
}
