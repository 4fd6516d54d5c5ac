package io.paralleltranslation.ratelimit;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quota table: partition key {@value #PARTITION_KEY} (string, the quota scope), no sort key,
 * on-demand billing, TTL attribute {@value #TTL_ATTRIBUTE}. Creating it here serves tests, the
 * local run and the deploy tooling alike.
 */
public final class QuotaTable {
    public static final String PARTITION_KEY = "scope";
    public static final String TTL_ATTRIBUTE = DynamoDbQuotaStore.EXPIRES_AT;
    private static final Logger LOG = LoggerFactory.getLogger(QuotaTable.class);
    private static final long POLL_MILLIS = 100;

    private QuotaTable() {}

    /**
     * Creates the table unless it exists, then waits (polling DescribeTable itself: the SDK waiter
     * polls every 20 s) until it is ACTIVE. Blocks: call it at setup, never on a hot path.
     */
    public static void createIfMissing(DynamoDbAsyncClient client, String tableName, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CreateTableRequest create = CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName(PARTITION_KEY).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(PARTITION_KEY).keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
        try {
            await(client.createTable(create), deadline);
        } catch (ResourceInUseException exists) {
            // Someone created it first: wait for it like for our own.
        }
        while (true) {
            try {
                TableStatus status = await(client.describeTable(b -> b.tableName(tableName)), deadline)
                        .table().tableStatus();
                if (status == TableStatus.ACTIVE) {
                    enableTimeToLive(client, tableName, deadline);
                    return;
                }
            } catch (ResourceNotFoundException notYetVisible) {
                // Eventually consistent: a table just created may not be described yet.
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("table " + tableName + " not ACTIVE after " + timeout);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Turns on TTL on {@value #TTL_ATTRIBUTE} unless it is on already. A stand-in without the call
     * (dynalite has DescribeTimeToLive but not UpdateTimeToLive, and expires nothing) is logged and
     * left as it is: items of unused scopes then stay, which costs storage, never correctness.
     */
    static void enableTimeToLive(DynamoDbAsyncClient client, String tableName, long deadline)
            throws InterruptedException, TimeoutException {
        try {
            TimeToLiveDescription ttl = await(client.describeTimeToLive(b -> b.tableName(tableName)), deadline)
                    .timeToLiveDescription();
            if (ttl != null && TTL_ATTRIBUTE.equals(ttl.attributeName())
                    && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
                            || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING)) {
                return;
            }
            await(client.updateTimeToLive(b -> b.tableName(tableName).timeToLiveSpecification(
                    spec -> spec.attributeName(TTL_ATTRIBUTE).enabled(true))), deadline);
            LOG.info("TTL enabled on {}.{}", tableName, TTL_ATTRIBUTE);
        } catch (DynamoDbException unsupported) {
            LOG.warn("Could not enable TTL on {}.{} ({}): items of scopes no longer used will not expire",
                    tableName, TTL_ATTRIBUTE, unsupported.getMessage());
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future, long deadline)
            throws InterruptedException, TimeoutException {
        try {
            return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new CompletionException(cause);
        }
    }
}
