package io.paralleltranslation.job.submit;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

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
            if (isLoopback(endpoint)) {
                builder.credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(STAND_IN_KEY, STAND_IN_KEY)));
            }
        }
        return builder.build();
    }

    private static boolean isLoopback(URI endpoint) {
        String host = endpoint.getHost();
        return "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
    }
}
