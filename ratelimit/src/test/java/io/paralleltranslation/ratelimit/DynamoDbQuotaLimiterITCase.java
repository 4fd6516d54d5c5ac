package io.paralleltranslation.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The limiter's contract on DynamoDB (dynalite), plus what only a real table shows. */
class DynamoDbQuotaLimiterITCase extends AbstractQuotaLimiterTest {
    private static Dynalite dynalite;
    private static DynamoDbQuotaStore store;

    @BeforeAll
    static void startDynalite() throws Exception {
        dynalite = new Dynalite();
        store = new DynamoDbQuotaStore(dynalite.client(), Dynalite.TABLE);
    }

    @AfterAll
    static void stopDynalite() {
        if (dynalite != null) {
            dynalite.close();
        }
    }

    @Override
    QuotaStore store() {
        return store;
    }

    @Override
    long storedExpiresAt(String scope) throws Exception {
        return Long.parseLong(item(scope).get(QuotaTable.TTL_ATTRIBUTE).n());
    }

    private Map<String, AttributeValue> item(String scope) throws Exception {
        return dynalite.client().getItem(b -> b.tableName(Dynalite.TABLE)
                .key(Map.of(QuotaTable.PARTITION_KEY, AttributeValue.builder().s(scope).build())))
                .get(10, TimeUnit.SECONDS).item();
    }

    @Test
    void creatingTheTableTwiceIsHarmless() throws Exception {
        QuotaTable.createIfMissing(dynalite.client(), Dynalite.TABLE, Duration.ofSeconds(10));
        QuotaTable.createIfMissing(dynalite.client(), "other-quotas", Duration.ofSeconds(10));
        assertThat(dynalite.client().describeTable(b -> b.tableName("other-quotas")).get().table().keySchema())
                .singleElement().satisfies(k -> assertThat(k.attributeName()).isEqualTo(QuotaTable.PARTITION_KEY));
    }

    /** dynalite has no UpdateTimeToLive: creating the table says so and goes on. */
    @Test
    void creatingTheTableAsksForTtlAndToleratesAStandInWithout() throws Exception {
        QuotaTable.createIfMissing(dynalite.client(), "ttl-quotas", Duration.ofSeconds(10));
        assertThat(dynalite.client().describeTable(b -> b.tableName("ttl-quotas")).get().table().tableName())
                .isEqualTo("ttl-quotas");
    }

    @Test
    void theItemHoldsEveryDimensionInOnePlace() throws Exception {
        WindowQuotaLimiter limiter = limiter(10, 1_000, 100);
        granted(limiter, 42);
        Map<String, AttributeValue> item = item(scope);
        long second = NOON.getEpochSecond();
        // Created by the grant's increment: no pause or cut attribute until a replacement writes one.
        assertThat(item).containsKeys("scope", "v", "hv", "nw", "r" + second, "t" + second, "day", "dayRequests",
                "expiresAt");
        assertThat(item.get("day").s()).isEqualTo("2026-06-01");
        assertThat(item.get("dayRequests").n()).isEqualTo("1");
        assertThat(item.get("r" + second).n()).isEqualTo("1");
        assertThat(item.get("t" + second).n()).isEqualTo("42");
        assertThat(item.get("nw").n()).isEqualTo(Long.toString(second));
        assertThat(item.keySet()).as("the writer's sequence number").anyMatch(name -> name.startsWith("w_"));
    }

    /** An item written before increments (slots in a map, no history version) is replaced by the next write. */
    @Test
    void anItemOfTheFormerFormatIsReadAndReplaced() throws Exception {
        long second = NOON.getEpochSecond();
        Map<String, AttributeValue> legacy = Map.of(
                QuotaTable.PARTITION_KEY, AttributeValue.builder().s(scope).build(),
                "v", AttributeValue.builder().n("3").build(),
                "slots", AttributeValue.builder().m(Map.of(Long.toString(second), AttributeValue.builder().m(Map.of(
                        "r", AttributeValue.builder().n("9").build(),
                        "t", AttributeValue.builder().n("90").build())).build())).build(),
                "day", AttributeValue.builder().s("2026-06-01").build(),
                "dayRequests", AttributeValue.builder().n("9").build(),
                "batches", AttributeValue.builder().s("abc,def").build());
        dynalite.client().putItem(b -> b.tableName(Dynalite.TABLE).item(legacy)).get(10, TimeUnit.SECONDS);
        WindowQuotaLimiter limiter = limiter(10, 1_000, 100);
        granted(limiter, 10);
        assertDenied(acquire(limiter, 10), QuotaDimension.REQUESTS_PER_MINUTE, NOON.plusSeconds(WINDOW).minusMillis(250));
        Map<String, AttributeValue> item = item(scope);
        assertThat(item).doesNotContainKeys("slots", "batches").containsKey("hv");
        assertThat(item.get("r" + second).n()).as("the former 9 and this grant").isEqualTo("10");
    }

    @Test
    void anUnreachableTableSendsTheLimiterToItsShare() throws Exception {
        LimiterCounters counters = new LimiterCounters();
        QuotaConfig config = QuotaConfig.builder(scope).requestsPerMinute(10).inputTokensPerMinute(1_000)
                .requestsPerDay(100).instances(5).build();
        java.net.URI nowhere = java.net.URI.create("http://127.0.0.1:" + io.paralleltranslation.localservices.LocalServices.freePort());
        try (QuotaLimiter limiter = QuotaLimiters.dynamoDb(Dynalite.client(nowhere), Dynalite.TABLE, config, counters)) {
            // It has never seen the item: nothing for one window (the retry comes with the next probe).
            Acquisition first = acquire(limiter, 1);
            assertThat(first.isGranted()).isFalse();
            assertThat(first.retryAt().orElseThrow()).isBefore(java.time.Instant.now().plusSeconds(6));
            assertThat(limiter.inFallback()).isTrue();
            assertThat(counters.fallbackEntered()).isEqualTo(1);
        }
    }
}
