package io.paralleltranslation.ratelimit;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Quota items in a DynamoDB table (see {@link QuotaTable} for its key). Every change is one
 * conditional {@code UpdateItem} on the item's version; a refused write returns the item it found
 * ({@code ReturnValuesOnConditionCheckFailure}), or, where the endpoint does not return it
 * (dynalite), one consistent {@code GetItem}.
 */
public final class DynamoDbQuotaStore implements QuotaStore {
    static final String VERSION = "v";
    static final String SLOTS = "slots";
    static final String DAY = "day";
    static final String DAY_REQUESTS = "dayRequests";
    static final String PAUSED_UNTIL = "pausedUntil";
    static final String EXPIRES_AT = "expiresAt";
    /** The ids of the last writes, base 36, comma-separated, oldest first. */
    static final String BATCHES = "batches";
    static final String FALLBACK_MERGED_AT = "fallbackMergedAt";
    static final String CUT_PERCENT = "cutPercent";
    static final String CUT_UNTIL = "cutUntil";
    private static final String REQUESTS = "r";
    private static final String TOKENS = "t";

    private final DynamoDbAsyncClient client;
    private final String tableName;

    public DynamoDbQuotaStore(DynamoDbAsyncClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public CompletableFuture<WindowState> read(String scope) {
        return client.getItem(get(scope)).thenApply(response -> decode(response.item()))
                .exceptionally(failure -> {
                    throw classified(failure);
                });
    }

    @Override
    public CompletableFuture<WriteResult> write(String scope, long expectedVersion, WindowState next,
            long expiresAtEpochSecond) {
        return client.updateItem(update(scope, expectedVersion, next, expiresAtEpochSecond))
                .thenApply(ignored -> WriteResult.written(next))
                .exceptionally(DynamoDbQuotaStore::conflictOrRethrow)
                .thenCompose(result -> result != null ? CompletableFuture.completedFuture(result)
                        : read(scope).thenApply(current -> WriteResult.conflict(current, 2)));
    }

    /**
     * The write path, once, before the first grant: an {@code UpdateItem} of the same shape on a key
     * that never exists ({@code <scope>#warm-up}), conditional on a version no item has, so it is
     * refused and writes nothing (1 WCU). The first real write then costs a round trip, not the SDK's
     * class loading and the JIT's first pass (measured: 90-300 ms on a busy 2-core machine).
     */
    @Override
    public CompletableFuture<Void> warmUp(String scope) {
        return client.updateItem(update(scope + "#warm-up", -1, WindowState.empty(), 0))
                .handle((ignored, failure) -> null);
    }

    private UpdateItemRequest update(String scope, long expectedVersion, WindowState next, long expiresAtEpochSecond) {
        Map<String, String> names = new HashMap<>();
        names.put("#v", VERSION);
        names.put("#s", SLOTS);
        names.put("#d", DAY);
        names.put("#dr", DAY_REQUESTS);
        names.put("#p", PAUSED_UNTIL);
        names.put("#e", EXPIRES_AT);
        names.put("#b", BATCHES);
        names.put("#f", FALLBACK_MERGED_AT);
        names.put("#cp", CUT_PERCENT);
        names.put("#cu", CUT_UNTIL);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":nv", number(next.version()));
        values.put(":s", encodeSlots(next.slots()));
        values.put(":d", AttributeValue.builder().s(next.day() == null ? "" : next.day().toString()).build());
        values.put(":dr", number(next.dayRequests()));
        values.put(":p", number(next.pausedUntil().toEpochMilli()));
        values.put(":e", number(expiresAtEpochSecond));
        values.put(":b", AttributeValue.builder().s(encodeBatches(next.batches())).build());
        values.put(":f", number(next.fallbackMergedAt() == null ? 0 : next.fallbackMergedAt().toEpochMilli()));
        values.put(":cp", number(next.cutPercent()));
        values.put(":cu", number(next.cutUntil().toEpochMilli()));
        String condition = "attribute_not_exists(#v)";
        if (expectedVersion != 0) {
            condition = "#v = :ev";
            values.put(":ev", number(expectedVersion));
        }
        return UpdateItemRequest.builder()
                .tableName(tableName)
                .key(key(scope))
                .updateExpression("SET #v = :nv, #s = :s, #d = :d, #dr = :dr, #p = :p, #e = :e, #b = :b, #f = :f, #cp = :cp, #cu = :cu")
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.NONE)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    /** A conflict that returned the item becomes a result; one that did not becomes null (read it). */
    private static WriteResult conflictOrRethrow(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (!(cause instanceof ConditionalCheckFailedException)) {
            throw classified(failure);
        }
        ConditionalCheckFailedException conflict = (ConditionalCheckFailedException) cause;
        if (conflict.hasItem() && !conflict.item().isEmpty()) {
            return WriteResult.conflict(decode(conflict.item()), 1);
        }
        return null;
    }

    /** Throttling becomes a {@link StoreThrottledException}; anything else stays as it is. */
    private static CompletionException classified(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof StoreThrottledException) {
            return failure instanceof CompletionException ? (CompletionException) failure
                    : new CompletionException(failure);
        }
        if (cause instanceof ProvisionedThroughputExceededException || cause instanceof RequestLimitExceededException
                || (cause instanceof AwsServiceException && ((AwsServiceException) cause).isThrottlingException())) {
            return new CompletionException(new StoreThrottledException("DynamoDB throttled the quota item", cause));
        }
        return failure instanceof CompletionException ? (CompletionException) failure : new CompletionException(failure);
    }

    private GetItemRequest get(String scope) {
        return GetItemRequest.builder().tableName(tableName).key(key(scope)).consistentRead(true).build();
    }

    private static Map<String, AttributeValue> key(String scope) {
        return Map.of(QuotaTable.PARTITION_KEY, AttributeValue.builder().s(scope).build());
    }

    static WindowState decode(Map<String, AttributeValue> item) {
        if (item == null || !item.containsKey(VERSION)) {
            return WindowState.empty();
        }
        NavigableMap<Long, long[]> slots = new TreeMap<>();
        AttributeValue encoded = item.get(SLOTS);
        if (encoded != null && encoded.hasM()) {
            for (Map.Entry<String, AttributeValue> slot : encoded.m().entrySet()) {
                Map<String, AttributeValue> counts = slot.getValue().m();
                slots.put(Long.parseLong(slot.getKey()),
                        new long[] {longOf(counts.get(REQUESTS)), longOf(counts.get(TOKENS))});
            }
        }
        String day = item.containsKey(DAY) ? item.get(DAY).s() : "";
        return new WindowState(longOf(item.get(VERSION)), slots, day.isEmpty() ? null : LocalDate.parse(day),
                longOf(item.get(DAY_REQUESTS)), longOf(item.get(PAUSED_UNTIL)), decodeBatches(item.get(BATCHES)),
                longOf(item.get(FALLBACK_MERGED_AT)), (int) longOf(item.get(CUT_PERCENT)), longOf(item.get(CUT_UNTIL)));
    }

    /**
     * The size DynamoDB bills a write of this item at (attribute names and values, numbers at about
     * half a byte a digit): one WCU per started KB.
     */
    static int itemSizeBytes(String scope, WindowState state, long expiresAtEpochSecond) {
        int size = PARTITION_KEY_BYTES + scope.length();
        size += VERSION.length() + numberBytes(state.version());
        size += SLOTS.length() + 3;
        for (Map.Entry<Long, long[]> slot : state.slots().entrySet()) {
            size += Long.toString(slot.getKey()).length() + 1 + 3
                    + REQUESTS.length() + 1 + numberBytes(slot.getValue()[0])
                    + TOKENS.length() + 1 + numberBytes(slot.getValue()[1]);
        }
        size += DAY.length() + (state.day() == null ? 0 : 10);
        size += DAY_REQUESTS.length() + numberBytes(state.dayRequests());
        size += PAUSED_UNTIL.length() + numberBytes(state.pausedUntil().toEpochMilli());
        size += EXPIRES_AT.length() + numberBytes(expiresAtEpochSecond);
        size += BATCHES.length() + encodeBatches(state.batches()).length();
        size += FALLBACK_MERGED_AT.length() + numberBytes(state.fallbackMergedAt() == null ? 0
                : state.fallbackMergedAt().toEpochMilli());
        size += CUT_PERCENT.length() + numberBytes(state.cutPercent());
        size += CUT_UNTIL.length() + numberBytes(state.cutUntil().toEpochMilli());
        return size;
    }

    private static final int PARTITION_KEY_BYTES = QuotaTable.PARTITION_KEY.length();

    private static int numberBytes(long value) {
        return (Long.toString(Math.abs(value)).length() + 1) / 2 + 1;
    }

    private static String encodeBatches(long[] batches) {
        StringBuilder s = new StringBuilder();
        for (long id : batches) {
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(Long.toString(id, Character.MAX_RADIX));
        }
        return s.toString();
    }

    private static long[] decodeBatches(AttributeValue value) {
        if (value == null || value.s() == null || value.s().isEmpty()) {
            return new long[0];
        }
        String[] ids = value.s().split(",");
        long[] batches = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            batches[i] = Long.parseLong(ids[i], Character.MAX_RADIX);
        }
        return batches;
    }

    private static AttributeValue encodeSlots(NavigableMap<Long, long[]> slots) {
        Map<String, AttributeValue> encoded = new HashMap<>();
        for (Map.Entry<Long, long[]> slot : slots.entrySet()) {
            encoded.put(Long.toString(slot.getKey()), AttributeValue.builder().m(Map.of(
                    REQUESTS, number(slot.getValue()[0]), TOKENS, number(slot.getValue()[1]))).build());
        }
        return AttributeValue.builder().m(encoded).build();
    }

    private static AttributeValue number(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

    private static long longOf(AttributeValue value) {
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
