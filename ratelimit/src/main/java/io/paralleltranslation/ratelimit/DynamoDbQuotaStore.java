package io.paralleltranslation.ratelimit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.time.ZoneOffset;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Quota items in a DynamoDB table (see {@link QuotaTable} for its key). Grants, lease blocks, rests
 * and refunds are conditional increments ({@link SlotIncrement}: one {@code UpdateItem} with
 * {@code ADD} on the slot counters, returning the item after it); everything else (a pause, a
 * debit, a new day, a fallback merge) replaces the whole item with a {@code PutItem} conditional on
 * its version. A refused write returns the item it found
 * ({@code ReturnValuesOnConditionCheckFailure}), or, where the endpoint does not return it
 * (dynalite), one consistent {@code GetItem}.
 *
 * <p>Each slot is two top-level number attributes, {@code r<epoch second>} (requests) and
 * {@code t<epoch second>} (input tokens): {@code ADD} creates a missing top-level counter, which a
 * nested map path cannot do in the same expression.
 */
public final class DynamoDbQuotaStore implements QuotaStore {
    static final String VERSION = "v";
    static final String HISTORY_VERSION = "hv";
    static final String NEWEST = "nw";
    static final String PREVIOUS_NEWEST = "pnw";
    /** Slot counters: {@code r<second>} and {@code t<second>}. */
    static final String REQUESTS_PREFIX = "r";
    static final String TOKENS_PREFIX = "t";
    /** {@code w_<writer id>}: the sequence number of that writer's last write applied. */
    static final String WRITER_PREFIX = "w_";
    /** Where items written before increments kept their slots (read only; the next replacement drops it). */
    static final String LEGACY_SLOTS = "slots";
    static final String DAY = "day";
    static final String DAY_REQUESTS = "dayRequests";
    static final String PAUSED_UNTIL = "pausedUntil";
    static final String EXPIRES_AT = "expiresAt";
    static final String FALLBACK_MERGED_AT = "fallbackMergedAt";
    static final String CUT_PERCENT = "cutPercent";
    static final String CUT_UNTIL = "cutUntil";

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
        return client.putItem(put(scope, expectedVersion, next, expiresAtEpochSecond))
                .thenApply(ignored -> WriteResult.written(next))
                .exceptionally(DynamoDbQuotaStore::conflictOrRethrow)
                .thenCompose(result -> result != null ? CompletableFuture.completedFuture(result)
                        : read(scope).thenApply(current -> WriteResult.conflict(current, 2)));
    }

    @Override
    public CompletableFuture<WriteResult> increment(String scope, SlotIncrement increment) {
        return client.updateItem(update(scope, increment))
                .thenApply(response -> WriteResult.written(decode(response.attributes())))
                .exceptionally(DynamoDbQuotaStore::conflictOrRethrow)
                .thenCompose(result -> result != null ? CompletableFuture.completedFuture(result)
                        : read(scope).thenApply(current -> WriteResult.conflict(current, 2)));
    }

    /**
     * The write path, once, before the first grant: the increment a first grant makes (one grant
     * creating an item, the item returned), on a key of its own ({@code <scope>#warm-up#<random>}: a
     * tiny item that always succeeds and expires an hour later). The first real write then costs a
     * round trip, not the SDK's class loading, the unmarshalling of a returned item and the first
     * pass of the JIT and of the endpoint's expression parser (measured on a busy 2-core machine: a
     * refused warm-up that returned nothing left the first increment at 140-570 ms).
     */
    @Override
    public CompletableFuture<Void> warmUp(String scope) {
        long now = System.currentTimeMillis();
        long second = now / 1000;
        WindowState planned = WindowState.empty().advancedTo(second, ZoneOffset.UTC, WindowState.MINUTE_SLOTS)
                .plusGrant(second, 1);
        SlotIncrement first = SlotIncrement.between(WindowState.empty(), planned, second, new Limits(1, 1, 1), 1,
                WindowState.MINUTE_SLOTS, "warm-up", now, second + 3_600);
        String key = scope + "#warm-up#" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40),
                Character.MAX_RADIX);
        return client.updateItem(update(key, first))
                .thenApply(response -> decode(response.attributes()))
                .handle((ignored, failure) -> null);
    }

    private PutItemRequest put(String scope, long expectedVersion, WindowState next, long expiresAtEpochSecond) {
        Map<String, AttributeValue> values = new HashMap<>();
        String condition = "attribute_not_exists(#v)";
        if (expectedVersion != 0) {
            condition = "#v = :ev";
            values.put(":ev", number(expectedVersion));
        }
        return PutItemRequest.builder()
                .tableName(tableName)
                .item(encode(scope, next, expiresAtEpochSecond))
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#v", VERSION))
                .expressionAttributeValues(values.isEmpty() ? null : values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    /** The whole item for a replacement. */
    static Map<String, AttributeValue> encode(String scope, WindowState state, long expiresAtEpochSecond) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(QuotaTable.PARTITION_KEY, AttributeValue.builder().s(scope).build());
        item.put(VERSION, number(state.version()));
        item.put(HISTORY_VERSION, number(state.historyVersion()));
        item.put(NEWEST, number(state.newest()));
        for (Map.Entry<Long, long[]> slot : state.slots().entrySet()) {
            item.put(REQUESTS_PREFIX + slot.getKey(), number(slot.getValue()[0]));
            item.put(TOKENS_PREFIX + slot.getKey(), number(slot.getValue()[1]));
        }
        if (state.day() != null) {
            item.put(DAY, AttributeValue.builder().s(state.day().toString()).build());
        }
        item.put(DAY_REQUESTS, number(state.dayRequests()));
        item.put(PAUSED_UNTIL, number(state.pausedUntilMillis()));
        item.put(EXPIRES_AT, number(expiresAtEpochSecond));
        for (Map.Entry<String, Long> writer : state.writers().entrySet()) {
            item.put(WRITER_PREFIX + writer.getKey(), number(writer.getValue()));
        }
        item.put(FALLBACK_MERGED_AT, number(state.fallbackMergedAtMillis()));
        item.put(CUT_PERCENT, number(state.cutPercent()));
        item.put(CUT_UNTIL, number(state.cutUntilMillis()));
        return item;
    }

    /** The increment as one {@code UpdateItem}: its additions, and its condition (see {@link SlotIncrement}). */
    private UpdateItemRequest update(String scope, SlotIncrement inc) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#v", VERSION);
        names.put("#hv", HISTORY_VERSION);
        names.put("#e", EXPIRES_AT);
        names.put("#w", WRITER_PREFIX + inc.writer);
        values.put(":one", number(1));
        values.put(":hv", number(inc.historyVersion));
        values.put(":e", number(inc.expiresAtEpochSecond));
        values.put(":seq", number(inc.seq));
        List<String> adds = new ArrayList<>();
        adds.add("#v :one");
        int n = 0;
        Map<Long, Integer> slotNames = new HashMap<>();
        for (Map.Entry<Long, long[]> delta : inc.deltas.entrySet()) {
            int i = n++;
            slotNames.put(delta.getKey(), i);
            names.put("#r" + i, REQUESTS_PREFIX + delta.getKey());
            names.put("#t" + i, TOKENS_PREFIX + delta.getKey());
            values.put(":dr" + i, number(delta.getValue()[0]));
            values.put(":dt" + i, number(delta.getValue()[1]));
            adds.add("#r" + i + " :dr" + i);
            adds.add("#t" + i + " :dt" + i);
        }
        if (inc.dayDelta != 0) {
            names.put("#dr", DAY_REQUESTS);
            values.put(":dd", number(inc.dayDelta));
            adds.add("#dr :dd");
        }
        List<String> sets = new ArrayList<>();
        sets.add("#e = :e");
        sets.add("#w = :seq");
        List<String> conditions = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        existing.add("#hv = :hv");
        if (inc.creates) {
            // Written by a creator racing this one on the same day: join it (see SlotIncrement).
            names.put("#d", DAY);
            values.put(":day", AttributeValue.builder().s(inc.day.toString()).build());
            sets.add("#hv = :hv");
            sets.add("#d = :day");
            existing.add("#d = :day");
        }
        conditions.add("(attribute_not_exists(#w) OR #w < :seq)");
        for (long slot : inc.decremented) {
            conditions.add("attribute_exists(#r" + slotNames.get(slot) + ")");
        }
        if (inc.adds) {
            names.put("#nw", NEWEST);
            values.put(":s", number(inc.second));
            if (inc.fromNewest == inc.second) {
                existing.add("#nw = :s");
            } else {
                names.put("#pnw", PREVIOUS_NEWEST);
                values.put(":nw0", number(inc.fromNewest));
                sets.add("#nw = :s");
                sets.add("#pnw = :nw0");
                existing.add("(#nw = :nw0 OR (#nw = :s AND #pnw = :nw0))");
            }
            int own = slotNames.get(inc.second);
            values.put(":cr", number(inc.capRequests));
            values.put(":ct", number(inc.capTokens));
            conditions.add("(attribute_not_exists(#r" + own + ") OR #r" + own + " <= :cr)");
            conditions.add("(attribute_not_exists(#t" + own + ") OR #t" + own + " <= :ct)");
            if (inc.basisNewestCounts != null) {
                names.put("#rb", REQUESTS_PREFIX + inc.fromNewest);
                names.put("#tb", TOKENS_PREFIX + inc.fromNewest);
                values.put(":rb", number(inc.basisNewestCounts[0]));
                values.put(":tb", number(inc.basisNewestCounts[1]));
                conditions.add("(attribute_not_exists(#rb) OR #rb <= :rb)");
                conditions.add("(attribute_not_exists(#tb) OR #tb <= :tb)");
            }
            if (inc.capDay != Long.MAX_VALUE) {
                names.putIfAbsent("#dr", DAY_REQUESTS);
                values.put(":cd", number(inc.capDay));
                conditions.add("(attribute_not_exists(#dr) OR #dr <= :cd)");
            }
        }
        String onItem = String.join(" AND ", existing);
        conditions.add(0, inc.creates ? "(attribute_not_exists(#v) OR (" + onItem + "))" : onItem);
        List<String> removes = new ArrayList<>();
        for (int i = 0; i < inc.dropped.size(); i++) {
            names.put("#x" + i, REQUESTS_PREFIX + inc.dropped.get(i));
            names.put("#y" + i, TOKENS_PREFIX + inc.dropped.get(i));
            removes.add("#x" + i);
            removes.add("#y" + i);
        }
        String expression = "ADD " + String.join(", ", adds) + " SET " + String.join(", ", sets)
                + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        return UpdateItemRequest.builder()
                .tableName(tableName)
                .key(key(scope))
                .updateExpression(expression)
                .conditionExpression(String.join(" AND ", conditions))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW)
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
        Map<String, Long> writers = new TreeMap<>();
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            String name = attribute.getKey();
            Long second = slotSecond(name);
            if (second != null) {
                slots.computeIfAbsent(second, k -> new long[2])[name.startsWith(REQUESTS_PREFIX) ? 0 : 1] =
                        longOf(attribute.getValue());
            } else if (name.startsWith(WRITER_PREFIX)) {
                writers.put(name.substring(WRITER_PREFIX.length()), longOf(attribute.getValue()));
            }
        }
        AttributeValue legacy = item.get(LEGACY_SLOTS);
        if (legacy != null && legacy.hasM()) {
            for (Map.Entry<String, AttributeValue> slot : legacy.m().entrySet()) {
                Map<String, AttributeValue> counts = slot.getValue().m();
                slots.put(Long.parseLong(slot.getKey()), new long[] {longOf(counts.get("r")), longOf(counts.get("t"))});
            }
        }
        String day = item.containsKey(DAY) ? item.get(DAY).s() : "";
        return new WindowState(longOf(item.get(VERSION)), longOf(item.get(HISTORY_VERSION)), longOf(item.get(NEWEST)),
                longOf(item.get(PREVIOUS_NEWEST)), slots, day.isEmpty() ? null : LocalDate.parse(day), longOf(item.get(DAY_REQUESTS)),
                longOf(item.get(PAUSED_UNTIL)), writers, longOf(item.get(FALLBACK_MERGED_AT)),
                (int) longOf(item.get(CUT_PERCENT)), longOf(item.get(CUT_UNTIL)));
    }

    /** The second of a slot counter's name ({@code r<digits>} or {@code t<digits>}), or null. */
    private static Long slotSecond(String name) {
        if (name.length() < 2 || !(name.startsWith(REQUESTS_PREFIX) || name.startsWith(TOKENS_PREFIX))) {
            return null;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return null;
            }
        }
        return Long.parseLong(name.substring(1));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

    private static long longOf(AttributeValue value) {
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
