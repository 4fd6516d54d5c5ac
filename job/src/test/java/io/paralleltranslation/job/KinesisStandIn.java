package io.paralleltranslation.job;

import io.paralleltranslation.job.submit.KinesisClients;
import io.paralleltranslation.localservices.LocalService;
import io.paralleltranslation.localservices.LocalServices;
import java.time.Duration;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** kinesis-local plus an SDK client on it, for the integration tests. */
public final class KinesisStandIn implements AutoCloseable {
    private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(30);

    private final LocalService service;
    private final KinesisClient client;

    private KinesisStandIn(LocalService service) {
        this.service = service;
        this.client = KinesisClients.create(LocalServices.REGION, service.endpoint());
    }

    public static KinesisStandIn start() {
        return new KinesisStandIn(LocalServices.startKinesisLocal());
    }

    public KinesisClient client() {
        return client;
    }

    public String endpoint() {
        return service.endpoint().toString();
    }

    /** Creates a stream and waits (bounded, polling) until it is ACTIVE; returns its ARN. */
    public String createStream(String name, int shards) throws InterruptedException {
        client.createStream(b -> b.streamName(name).shardCount(shards));
        long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
        while (client.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + name + " not ACTIVE after " + ACTIVE_TIMEOUT);
            }
            Thread.sleep(100);
        }
        return LocalServices.streamArn(name);
    }

    @Override
    public void close() {
        client.close();
        service.close();
    }
}
