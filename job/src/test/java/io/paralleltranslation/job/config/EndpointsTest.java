package io.paralleltranslation.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class EndpointsTest {

    @Test
    void loopbackHostsAreStandIns() {
        assertThat(Endpoints.isLoopback(URI.create("http://127.0.0.1:4567"))).isTrue();
        assertThat(Endpoints.isLoopback(URI.create("http://localhost:4567"))).isTrue();
        assertThat(Endpoints.isLoopback(URI.create("http://[::1]:4567"))).isTrue();
    }

    @Test
    void otherHostsAndNoEndpointAreNot() {
        assertThat(Endpoints.isLoopback(URI.create("https://10.1.2.3"))).isFalse();
        assertThat(Endpoints.isLoopback(URI.create("https://generativelanguage.invalid"))).isFalse();
        assertThat(Endpoints.isLoopback(null)).isFalse();
    }
}
