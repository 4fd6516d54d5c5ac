package io.paralleltranslation.job.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** The one rule for "this endpoint is a local stand-in": its host is a loopback address. */
public final class Endpoints {
    /**
     * The region the command-line tools (submit, quota) use against real AWS when nothing names one:
     * AWS's own default. The stand-ins' region (LocalServices.REGION) happens to be the same but is
     * the local run's choice.
     */
    public static final String DEFAULT_AWS_REGION = "us-east-1";

    private Endpoints() {}

    public static boolean isLoopback(URI endpoint) {
        if (endpoint == null || endpoint.getHost() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
