package io.paralleltranslation.ratelimit;

import io.paralleltranslation.localservices.LocalService;
import io.paralleltranslation.localservices.LocalServices;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** One dynalite for a test class, with the quota table created. */
final class Dynalite implements AutoCloseable {
    static final String TABLE = "quotas";

    private final LocalService service;
    private final DynamoDbAsyncClient client;

    Dynalite() throws Exception {
        service = LocalServices.startDynalite();
        try {
            client = client(service.endpoint(), Duration.ofSeconds(30));
            QuotaTable.createIfMissing(client, TABLE, Duration.ofSeconds(30));
        } catch (Exception | Error e) {
            service.close();
            throw e;
        }
    }

    /** A client with the production timeouts. */
    static DynamoDbAsyncClient client(URI endpoint) {
        return client(endpoint, Duration.ofSeconds(2));
    }

    /** A client with {@code attemptTimeout}: tests on a crowded machine want patience, not a fallback. */
    static DynamoDbAsyncClient client(URI endpoint, Duration attemptTimeout) {
        return QuotaLimiters.dynamoDbClient(endpoint, Region.of(LocalServices.REGION),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalServices.ACCESS_KEY_ID, LocalServices.SECRET_ACCESS_KEY)), attemptTimeout);
    }

    URI endpoint() {
        return service.endpoint();
    }

    DynamoDbAsyncClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        service.close();
    }
}
