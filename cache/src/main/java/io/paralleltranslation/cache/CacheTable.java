package io.paralleltranslation.cache;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The cache table: partition key {@value #PARTITION_KEY} (string, the {@link CacheKey} hex), no
 * sort key, on-demand billing, TTL attribute {@value #TTL_ATTRIBUTE}. On AWS the deployment
 * creates it with TTL on; {@link #createIfMissing} serves tests and the local run (dynalite has
 * no TTL, which reads do not rely on).
 */
public final class CacheTable {
    public static final String PARTITION_KEY = "key";
    public static final String TTL_ATTRIBUTE = DynamoDbTranslationCache.EXPIRES_AT;

    private CacheTable() {}

    /** Creates the table unless it exists and waits until it is ACTIVE. Blocks: call it at setup. */
    public static void createIfMissing(DynamoDbAsyncClient client, String tableName, Duration timeout)
            throws InterruptedException, TimeoutException {
        try {
            client.createTable(b -> b.tableName(tableName)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(PARTITION_KEY)
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName(PARTITION_KEY).keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof ResourceInUseException)) {
                throw new CompletionException("cannot create the cache table " + tableName, e.getCause());
            }
        }
        // The SDK waiter's default polls every 20 s; a fresh local table is ACTIVE within a second.
        try {
            client.waiter().waitUntilTableExists(b -> b.tableName(tableName), w -> w
                            .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(100)))
                            .waitTimeout(timeout))
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)
                    .matched().exception().ifPresent(e -> {
                        throw new CompletionException("the cache table " + tableName + " did not become ACTIVE", e);
                    });
        } catch (ExecutionException e) {
            throw new CompletionException("the cache table " + tableName + " did not become ACTIVE", e.getCause());
        }
    }
}
