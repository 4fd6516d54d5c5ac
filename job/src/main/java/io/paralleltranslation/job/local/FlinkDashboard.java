package io.paralleltranslation.job.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The MiniCluster's REST API (the same port serves the web dashboard): finds the running job and
 * cancels it, which is how the local run stops the job that {@code TranslationJob.main} started.
 */
final class FlinkDashboard {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    FlinkDashboard(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    URI url() {
        return base;
    }

    /**
     * Waits until a job is RUNNING and returns its id.
     *
     * @param stillStarting false once starting has failed (the job's thread ended): stops waiting
     */
    String awaitRunningJob(Duration timeout, BooleanSupplier stillStarting) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && stillStarting.getAsBoolean()) {
            try {
                for (JsonNode job : get("/jobs").path("jobs")) {
                    if ("RUNNING".equals(job.path("status").asText())) {
                        String id = job.path("id").asText();
                        if (allTasksRunning(id)) {
                            return id;
                        }
                    }
                }
            } catch (IOException notUpYet) {
                // The REST endpoint starts with the MiniCluster; keep polling until the deadline.
            }
            Thread.sleep(200);
        }
        return null;
    }

    /** Asks Flink to cancel the job; the caller waits for the job's thread to end. */
    void cancel(String jobId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                .timeout(REQUEST_TIMEOUT)
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build();
        http.send(request, HttpResponse.BodyHandlers.discarding());
    }

    /** Sources start reading only once their tasks run; records put before that are not lost, just later. */
    private boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The job's checkpoint statistics as one line: how many completed, their end-to-end duration
     * (average and maximum) and checkpointed size, from {@code /jobs/<id>/checkpoints}.
     */
    String checkpointSummary(String jobId) throws IOException, InterruptedException {
        JsonNode stats = get("/jobs/" + jobId + "/checkpoints");
        JsonNode summary = stats.path("summary");
        JsonNode duration = summary.path("end_to_end_duration");
        JsonNode size = summary.path("checkpointed_size");
        String lastFailure = stats.path("latest").path("failed").path("failure_message").asText("");
        return String.format(java.util.Locale.ROOT, "checkpoints: %d completed, %d failed, duration avg %d ms max %d ms,"
                        + " size avg %d bytes%s",
                stats.path("counts").path("completed").asLong(), stats.path("counts").path("failed").asLong(),
                duration.path("avg").asLong(), duration.path("max").asLong(), size.path("avg").asLong(),
                lastFailure.isEmpty() ? "" : " (last failure: " + lastFailure.lines().findFirst().orElse("") + ")");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
