package io.paralleltranslation.localservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.HttpURLConnection;
import java.net.URL;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalServicesITCase {

    @Test
    void dynaliteAnswersOnLoopbackAndStopsWithItsProcess() throws Exception {
        LocalService dynalite = LocalServices.startDynalite();
        ProcessHandle handle = ProcessHandle.of(dynalite.pid()).orElseThrow();
        try (dynalite) {
            assertThat(dynalite.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(httpStatus(dynalite.endpoint().toURL())).isBetween(200, 499);
        }
        handle.onExit().get(10, TimeUnit.SECONDS);
        assertThat(handle.isAlive()).isFalse();
    }

    @Test
    void kinesisLocalAnswersOnItsPlainPortAndStops() throws Exception {
        LocalService kinesis = LocalServices.startKinesisLocal();
        ProcessHandle handle = ProcessHandle.of(kinesis.pid()).orElseThrow();
        try (kinesis) {
            assertThat(httpStatus(kinesis.endpoint().toURL())).isBetween(200, 499);
        }
        handle.onExit().get(10, TimeUnit.SECONDS);
        assertThat(handle.isAlive()).isFalse();
    }

    @Test
    void aStandInThatDiesIsReportedWithItsLog() throws Exception {
        LocalService dynalite = LocalServices.startDynalite();
        try (dynalite) {
            dynalite.checkAlive();
            ProcessHandle handle = ProcessHandle.of(dynalite.pid()).orElseThrow();
            handle.destroyForcibly();
            handle.onExit().get(10, TimeUnit.SECONDS);

            assertThatThrownBy(dynalite::checkAlive)
                    .isInstanceOf(LocalService.ServiceDiedException.class)
                    .hasMessageStartingWith("dynalite (pid " + dynalite.pid() + ") died")
                    .hasMessageContaining("its log: " + dynalite.log())
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void streamArnNamesTheStandInAccount() {
        assertThat(LocalServices.streamArn("chunks"))
                .isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/chunks");
    }

    private static int httpStatus(URL url) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setConnectTimeout(2_000);
        connection.setReadTimeout(5_000);
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }
}
