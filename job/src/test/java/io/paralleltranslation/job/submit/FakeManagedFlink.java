package io.paralleltranslation.job.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * A fake of the Managed Service for Apache Flink API on 127.0.0.1, speaking its AWS JSON 1.1
 * protocol: DescribeApplication, ListApplicationSnapshots and StartApplication for one application.
 * Each DescribeApplication moves the status one step along {@link #afterStart} once started, so a
 * test scripts the transitions. Refuses requests that are not SigV4-signed for kinesisanalytics.
 */
final class FakeManagedFlink implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String application;
    private volatile String status;
    /** Statuses DescribeApplication reports after a start, one per call; the last one stays. */
    final Deque<String> afterStart = new ArrayDeque<>();
    /** Statuses reported before any start, one per call (e.g. STOPPING then READY). */
    final Deque<String> beforeStart = new ArrayDeque<>();
    volatile boolean hasSnapshot = true;
    volatile boolean started;
    final List<String> operations = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> startRequests = Collections.synchronizedList(new ArrayList<>());

    FakeManagedFlink(String application, String status) throws IOException {
        this.application = application;
        this.status = status;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    String status() {
        return status;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 Credential=")
                    || !auth.contains("/kinesisanalytics/aws4_request")) {
                reply(exchange, 403, "{\"__type\":\"IncompleteSignatureException\",\"message\":\"not signed\"}");
                return;
            }
            if (!"application/x-amz-json-1.1".equals(exchange.getRequestHeaders().getFirst("Content-Type"))
                    || target == null || !target.startsWith("KinesisAnalytics_20180523.")) {
                reply(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
                return;
            }
            String operation = target.substring(target.indexOf('.') + 1);
            operations.add(operation);
            if (!application.equals(body.path("ApplicationName").asText())) {
                reply(exchange, 400, "{\"__type\":\"com.amazonaws.kinesisanalytics#ResourceNotFoundException\","
                        + "\"Message\":\"Application " + body.path("ApplicationName").asText() + " not found\"}");
                return;
            }
            switch (operation) {
                case "DescribeApplication":
                    Deque<String> script = started ? afterStart : beforeStart;
                    if (script.size() > 1 || (script.size() == 1 && started)) {
                        status = script.size() > 1 ? script.poll() : script.peek();
                    } else if (script.size() == 1) {
                        status = script.poll();
                    }
                    reply(exchange, 200, "{\"ApplicationDetail\":{\"ApplicationName\":\"" + application
                            + "\",\"ApplicationStatus\":\"" + status + "\",\"RuntimeEnvironment\":\"FLINK-1_20\"}}");
                    return;
                case "ListApplicationSnapshots":
                    reply(exchange, 200, hasSnapshot
                            ? "{\"SnapshotSummaries\":[{\"SnapshotName\":\"auto-stop\",\"SnapshotStatus\":\"READY\"}]}"
                            : "{\"SnapshotSummaries\":[]}");
                    return;
                case "StartApplication":
                    if (!"READY".equals(status)) {
                        reply(exchange, 400, "{\"__type\":\"ResourceInUseException\",\"message\":\"status " + status
                                + "\"}");
                        return;
                    }
                    startRequests.add(body);
                    started = true;
                    status = "STARTING";
                    reply(exchange, 200, "{}");
                    return;
                default:
                    reply(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
            }
        } catch (RuntimeException e) {
            reply(exchange, 500, "{\"__type\":\"InternalFailure\",\"message\":\"" + e + "\"}");
        }
    }

    private static void reply(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
