package io.paralleltranslation.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The cache in a DynamoDB table of its own ({@link CacheTable}): one item per key, written once
 * by a conditional put (no item, or only an expired one), read with an eventually consistent
 * GetItem. {@value #EXPIRES_AT} (epoch seconds) is the table's TTL attribute; DynamoDB deletes
 * expired items only eventually (and dynalite never), so reads check it too. Does not close the
 * client.
 */
public final class DynamoDbTranslationCache implements TranslationCache {
    static final String KEY = CacheTable.PARTITION_KEY;
    static final String TEXT = "text";
    static final String TEXT_GZIP = "textGzip";
    static final String INPUT_TOKENS = "inputTokens";
    static final String OUTPUT_TOKENS = "outputTokens";
    static final String FINISH_REASON = "finishReason";
    static final String MODEL_VERSION = "modelVersion";
    static final String TRANSLATED_AT = "translatedAt";
    static final String EXPIRES_AT = "expiresAt";

    private final DynamoDbAsyncClient client;
    private final String table;
    private final Duration ttl;
    private final Clock clock;

    public DynamoDbTranslationCache(DynamoDbAsyncClient client, String table, Duration ttl, Clock clock) {
        this.client = client;
        this.table = table;
        this.ttl = positive(ttl);
        this.clock = clock;
    }

    static Duration positive(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the cache's time to live must be positive, got " + ttl);
        }
        return ttl;
    }

    @Override
    public CompletableFuture<Optional<CachedTranslation>> get(CacheKey key) {
        return client.getItem(b -> b.tableName(table).key(keyOf(key))).thenApply(response -> {
            Map<String, AttributeValue> item = response.item();
            if (item == null || item.isEmpty() || expired(item, clock.instant())) {
                return Optional.empty();
            }
            return Optional.of(translationOf(item));
        });
    }

    @Override
    public CompletableFuture<PutResult> put(CacheKey key, CachedTranslation translation) {
        StoredText text = StoredText.of(translation.text());
        if (text == null) {
            return CompletableFuture.completedFuture(PutResult.TOO_LARGE);
        }
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>(keyOf(key));
        if (text.isCompressed()) {
            item.put(TEXT_GZIP, AttributeValue.builder().b(SdkBytes.fromByteArray(text.gzip())).build());
        } else {
            item.put(TEXT, AttributeValue.builder().s(text.plain()).build());
        }
        item.put(INPUT_TOKENS, number(translation.inputTokens()));
        item.put(OUTPUT_TOKENS, number(translation.outputTokens()));
        if (translation.finishReason() != null) {
            item.put(FINISH_REASON, AttributeValue.builder().s(translation.finishReason()).build());
        }
        if (translation.modelVersion() != null) {
            item.put(MODEL_VERSION, AttributeValue.builder().s(translation.modelVersion()).build());
        }
        item.put(TRANSLATED_AT, number(translation.translatedAt().toEpochMilli()));
        item.put(EXPIRES_AT, number(now.plus(ttl).getEpochSecond()));
        PutItemRequest request = PutItemRequest.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#k) OR #e <= :now")
                .expressionAttributeNames(Map.of("#k", KEY, "#e", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":now", number(now.getEpochSecond())))
                .build();
        return client.putItem(request).handle((ok, error) -> {
            if (error == null) {
                return PutResult.STORED;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof ConditionalCheckFailedException) {
                return PutResult.ALREADY_PRESENT;
            }
            throw error instanceof CompletionException ? (CompletionException) error : new CompletionException(error);
        });
    }

    private static Map<String, AttributeValue> keyOf(CacheKey key) {
        return Map.of(KEY, AttributeValue.builder().s(key.hex()).build());
    }

    private static boolean expired(Map<String, AttributeValue> item, Instant now) {
        AttributeValue expiresAt = item.get(EXPIRES_AT);
        return expiresAt == null || Long.parseLong(expiresAt.n()) <= now.getEpochSecond();
    }

    private static CachedTranslation translationOf(Map<String, AttributeValue> item) {
        String text = item.containsKey(TEXT_GZIP) ? StoredText.ofGzip(item.get(TEXT_GZIP).b().asByteArray()).text()
                : item.get(TEXT).s();
        return new CachedTranslation(text, Long.parseLong(item.get(INPUT_TOKENS).n()),
                Long.parseLong(item.get(OUTPUT_TOKENS).n()), string(item, FINISH_REASON), string(item, MODEL_VERSION),
                Instant.ofEpochMilli(Long.parseLong(item.get(TRANSLATED_AT).n())));
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static AttributeValue number(long n) {
        return AttributeValue.builder().n(Long.toString(n)).build();
    }

    @Override
    public String toString() {
        return "DynamoDbTranslationCache{table=" + table + ", ttl=" + ttl + "}";
    }
}
