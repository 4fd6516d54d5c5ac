package io.paralleltranslation.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paralleltranslation.localservices.LocalService;
import io.paralleltranslation.localservices.LocalServices;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** The cache's contract on DynamoDB (dynalite), plus what only a real table shows. */
class DynamoDbTranslationCacheITCase extends AbstractTranslationCacheTest {
    private static final String TABLE = "translations";
    private static LocalService dynalite;
    private static DynamoDbAsyncClient client;

    @BeforeAll
    static void startDynalite() throws Exception {
        dynalite = LocalServices.startDynalite();
        client = client(dynalite.endpoint());
        CacheTable.createIfMissing(client, TABLE, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopDynalite() {
        if (client != null) {
            client.close();
        }
        if (dynalite != null) {
            dynalite.close();
        }
    }

    static DynamoDbAsyncClient client(URI endpoint) {
        return DynamoDbAsyncClient.builder().endpointOverride(endpoint).region(Region.of(LocalServices.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalServices.ACCESS_KEY_ID, LocalServices.SECRET_ACCESS_KEY)))
                .build();
    }

    @Override
    TranslationCache cache(Duration ttl, Clock clock) {
        return new DynamoDbTranslationCache(client, TABLE, ttl, clock);
    }

    private Map<String, AttributeValue> item(CacheKey key) throws Exception {
        return client.getItem(b -> b.tableName(TABLE)
                        .key(Map.of(CacheTable.PARTITION_KEY, AttributeValue.builder().s(key.hex()).build())))
                .get(10, TimeUnit.SECONDS).item();
    }

    @Test
    void theItemCarriesTheTtlAttributeAndCompressesOnlyLargeTexts() throws Exception {
        TranslationCache cache = cache(TTL, clock);
        CacheKey small = freshKey();
        cache.put(small, translation("kurz")).get(10, TimeUnit.SECONDS);
        Map<String, AttributeValue> item = item(small);
        assertThat(item.get(CacheTable.TTL_ATTRIBUTE).n()).isEqualTo(Long.toString(NOON.plus(TTL).getEpochSecond()));
        assertThat(item).containsKey(DynamoDbTranslationCache.TEXT).doesNotContainKey(DynamoDbTranslationCache.TEXT_GZIP);

        CacheKey large = freshKey();
        cache.put(large, translation("Ein langer Satz. ".repeat(2_000))).get(10, TimeUnit.SECONDS);
        Map<String, AttributeValue> big = item(large);
        assertThat(big).containsKey(DynamoDbTranslationCache.TEXT_GZIP).doesNotContainKey(DynamoDbTranslationCache.TEXT);
        assertThat(big.get(DynamoDbTranslationCache.TEXT_GZIP).b().asByteArray().length).isLessThan(4_000);
    }

    /**
     * What makes {@link StoredText#MAX_STORED_BYTES} necessary locally too: dynalite refuses an
     * item over 400 KB as DynamoDB does, so a cache that wrote one would fail here, not only on AWS.
     */
    @Test
    void theTableRefusesAnItemOverFourHundredKilobytes() {
        Map<String, AttributeValue> item = Map.of(CacheTable.PARTITION_KEY, AttributeValue.builder()
                        .s(freshKey().hex()).build(),
                DynamoDbTranslationCache.TEXT_GZIP, AttributeValue.builder()
                        .b(SdkBytes.fromByteArray(new byte[401 * 1024])).build());
        assertThatThrownBy(() -> client.putItem(b -> b.tableName(TABLE).item(item)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("Item size has exceeded the maximum allowed size");
    }

    @Test
    void creatingTheTableTwiceIsHarmless() throws Exception {
        CacheTable.createIfMissing(client, TABLE, Duration.ofSeconds(10));
        CacheTable.createIfMissing(client, "other-translations", Duration.ofSeconds(10));
        assertThat(client.describeTable(b -> b.tableName("other-translations")).get().table().keySchema())
                .singleElement().satisfies(k -> assertThat(k.attributeName()).isEqualTo(CacheTable.PARTITION_KEY));
    }

    @Test
    void aMissingTableFailsTheFutureSoCallersCanCallTheModel() {
        TranslationCache cache = new DynamoDbTranslationCache(client, "no-such-table", TTL, clock);
        assertThatThrownBy(() -> cache.get(freshKey()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> cache.put(freshKey(), translation("x")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
    }
}
