package io.paralleltranslation.job;

import io.paralleltranslation.job.submit.KinesisClients;
import io.paralleltranslation.localservices.LocalService;
import io.paralleltranslation.localservices.LocalServices;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * kinesis-local plus an SDK client on it, for the integration tests: register it as a static
 * {@code @RegisterExtension} field; it starts before the class's tests and stops after them.
 */
public final class KinesisStandIn implements BeforeAllCallback, AfterAllCallback {
    private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(30);

    private LocalService service;
    private KinesisClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        service = LocalServices.startKinesisLocal();
        client = KinesisClients.create(LocalServices.REGION, service.endpoint());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (client != null) {
            client.close();
        }
        if (service != null) {
            service.close();
        }
    }

    public KinesisClient client() {
        return client;
    }

    public String endpoint() {
        return service.endpoint().toString();
    }

    /** Creates a stream and waits (bounded, polling) until it is ACTIVE; returns its ARN. */
    public String createStream(String name, int shards) throws InterruptedException {
        KinesisClients.createStreamAndWait(client, name, shards, ACTIVE_TIMEOUT);
        return LocalServices.streamArn(name);
    }
}
