package io.paralleltranslation.job.submit;

import io.paralleltranslation.job.config.Endpoints;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Builds the SDK's Kinesis client for AWS or for a stand-in on an endpoint override. */
public final class KinesisClients {
    /** Dummy credentials the stand-ins accept; with an endpoint override real ones are not needed. */
    private static final String STAND_IN_KEY = "local";

    private KinesisClients() {}

    /**
     * With {@code endpoint} null: the default credentials chain, against AWS. With an endpoint
     * that is a loopback stand-in: dummy static credentials.
     */
    public static KinesisClient create(String region, URI endpoint) {
        KinesisClientBuilder builder = KinesisClient.builder().region(Region.of(region));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
            if (Endpoints.isLoopback(endpoint)) {
                builder.credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(STAND_IN_KEY, STAND_IN_KEY)));
            }
        }
        return builder.build();
    }

    /**
     * Creates a stream on a stand-in and polls (every 100 ms, at most {@code timeout}) until it is
     * ACTIVE: the SDK's waiter would poll every 10 s.
     */
    public static void createStreamAndWait(KinesisClient client, String name, int shards, Duration timeout)
            throws InterruptedException {
        client.createStream(b -> b.streamName(name).shardCount(shards));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (client.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + name + " not ACTIVE after " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
