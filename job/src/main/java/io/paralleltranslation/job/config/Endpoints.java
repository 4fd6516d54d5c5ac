package io.paralleltranslation.job.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** The one rule for "this endpoint is a local stand-in": its host is a loopback address. */
public final class Endpoints {
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
