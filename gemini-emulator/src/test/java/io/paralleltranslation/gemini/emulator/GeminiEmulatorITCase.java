package io.paralleltranslation.gemini.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paralleltranslation.ratelimit.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The emulator over real HTTP: bodies, status codes and stats as a client sees them. */
class GeminiEmulatorITCase {
    private static final String KEY = "emulator-key";
    private static final String PROMPT = "<target_language>de</target_language>\n<previous_context>\nBefore.\n"
            + "</previous_context>\n<text_to_translate>\nHello world.\n</text_to_translate>";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T12:00:00Z"));
    private GeminiEmulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("x-goog-api-key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String generateBody(String text) throws Exception {
        return "{\"contents\":[{\"parts\":[{\"text\":" + json.writeValueAsString(text) + "}],\"role\":\"user\"}],"
                + "\"systemInstruction\":{\"parts\":[{\"text\":\"You translate.\"}],\"role\":\"user\"},"
                + "\"generationConfig\":{\"temperature\":0.2,\"maxOutputTokens\":256,\"thinkingConfig\":{\"thinkingBudget\":0}}}";
    }

    @Test
    void answersWithAPseudoTranslationAndUsage() throws Exception {
        emulator = GeminiEmulator.builder().apiKey(KEY).clock(clock).start();

        HttpResponse<String> r = post("/v1beta/models/gemini-2.5-flash:generateContent", KEY, generateBody(PROMPT));

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.at("/candidates/0/content/parts/0/text").asText()).isEqualTo("[de] olleH dlrow.");
        assertThat(body.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
        int prompt = Tokens.count("You translate.") + Tokens.count(PROMPT);
        assertThat(body.at("/usageMetadata/promptTokenCount").asInt()).isEqualTo(prompt);
        assertThat(body.at("/usageMetadata/totalTokenCount").asInt())
                .isEqualTo(prompt + body.at("/usageMetadata/candidatesTokenCount").asInt());

        RequestLogEntry logged = emulator.stats().log.get(0);
        assertThat(logged.text).isEqualTo("Hello world.");
        assertThat(logged.context).isEqualTo("Before.");
        assertThat(logged.textSha256).isEqualTo(RequestLogEntry.sha256("Hello world."));
        assertThat(logged.timeMillis).isEqualTo(clock.millis());
    }

    @Test
    void quota429HasGeminisBodyAndRefusalsAreCounted() throws Exception {
        emulator = GeminiEmulator.builder().apiKey(KEY).clock(clock).limits(new QuotaLimits(2, 0, 0)).start();
        post("/v1/models/gemini-2.5-flash:generateContent", KEY, generateBody(PROMPT));
        clock.advance(Duration.ofMillis(12_300));
        post("/v1/models/gemini-2.5-flash:generateContent", KEY, generateBody(PROMPT));
        clock.advance(Duration.ofSeconds(10));

        HttpResponse<String> r = post("/v1/models/gemini-2.5-flash:generateContent", KEY, generateBody(PROMPT));

        assertThat(r.statusCode()).isEqualTo(429);
        JsonNode error = json.readTree(r.body()).get("error");
        assertThat(error.get("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.get("message").asText()).endsWith("Please retry in 37.700000s.")
                .contains("limit: 2, model: gemini-2.5-flash");
        JsonNode details = error.get("details");
        assertThat(details.get(0).get("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.Help");
        JsonNode violation = details.get(1).get("violations").get(0);
        assertThat(violation.get("quotaId").asText()).isEqualTo("GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
        assertThat(violation.get("quotaMetric").asText())
                .isEqualTo("generativelanguage.googleapis.com/generate_content_free_tier_requests");
        assertThat(violation.at("/quotaDimensions/model").asText()).isEqualTo("gemini-2.5-flash");
        assertThat(violation.get("quotaValue").asText()).isEqualTo("2");
        assertThat(details.get(2).get("retryDelay").asText()).isEqualTo("38s");

        EmulatorStats stats = emulator.stats();
        assertThat(stats.count(429)).isEqualTo(1);
        assertThat(stats.byQuotaId.get("GenerateRequestsPerMinutePerProjectPerModel-FreeTier")).isEqualTo(1);
        assertThat(stats.maxRequestsInAnyWindow(EmulatorStats.Scope.ALL)).isEqualTo(3);
        assertThat(stats.maxRequestsInAnyWindow(EmulatorStats.Scope.ADMITTED)).isEqualTo(2);
    }

    @Test
    void rejectsBadKeysBodiesModelsAndPaths() throws Exception {
        emulator = GeminiEmulator.builder().apiKey(KEY).start();
        String path = "/v1beta/models/gemini-2.5-flash:generateContent";

        HttpResponse<String> badKey = post(path, "wrong", generateBody(PROMPT));
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badKey.body()).at("/error/details/0/reason").asText()).isEqualTo("API_KEY_INVALID");
        assertThat(post(path, null, generateBody(PROMPT)).statusCode()).isEqualTo(403);

        HttpResponse<String> malformed = post(path, KEY, "{\"contents\": [");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json.readTree(malformed.body()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(post(path, KEY, "{\"contents\":[]}").statusCode()).isEqualTo(400);
        assertThat(post(path, KEY, "{\"contents\":[{\"parts\":[{\"text\":5}]}]}").statusCode()).isEqualTo(400);

        HttpResponse<String> unknown = post("/v1beta/models/gemini-0-nano:generateContent", KEY, generateBody(PROMPT));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).at("/error/status").asText()).isEqualTo("NOT_FOUND");
        assertThat(post("/v1beta/models/gemini-2.5-flash:embedContent", KEY, generateBody(PROMPT)).statusCode()).isEqualTo(404);
        assertThat(post("/v2/elsewhere", KEY, "{}").statusCode()).isEqualTo(404);
        assertThat(emulator.stats().requests).as("every generate call is logged, other methods are not").isEqualTo(6);
    }

    @Test
    void countTokensAndStreamingShareTheHeuristic() throws Exception {
        emulator = GeminiEmulator.builder().start();
        String contents = "{\"contents\":[{\"parts\":[{\"text\":" + json.writeValueAsString(PROMPT) + "}]}]}";

        HttpResponse<String> count = post("/v1beta/models/gemini-2.5-pro:countTokens", "any", contents);
        assertThat(json.readTree(count.body()).get("totalTokens").asInt()).isEqualTo(Tokens.count(PROMPT));

        HttpResponse<String> sse = post("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", "any", contents);
        assertThat(sse.headers().firstValue("content-type")).contains("text/event-stream");
        assertThat(sse.body()).startsWith("data: {").endsWith("\r\n\r\n");
        JsonNode event = json.readTree(sse.body().substring("data: ".length()).trim());
        assertThat(event.at("/candidates/0/content/parts/0/text").asText()).isEqualTo("[de] olleH dlrow.");
        assertThat(emulator.stats().countTokensRequests).isEqualTo(1);
    }

    /**
     * A client that is gone before its answer (a killed TaskManager's call in flight): the call is
     * logged as paid and counted as undelivered; an answer that arrives is not.
     */
    @Test
    void anAnswerWhoseClientIsGoneIsCountedUndelivered() throws Exception {
        emulator = GeminiEmulator.builder().apiKey(KEY).clock(clock).latency(LatencyModel.fixed(1_500)).start();
        byte[] body = generateBody(PROMPT).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(),
                emulator.port())) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /v1beta/models/gemini-2.5-flash:generateContent HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "x-goog-api-key: " + KEY + "\r\ncontent-type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            long received = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (emulator.stats().requests < 1 && System.nanoTime() < received) {
                Thread.sleep(20);
            }
        }
        assertThat(post("/v1beta/models/gemini-2.5-flash:generateContent", KEY, generateBody(PROMPT)).statusCode())
                .isEqualTo(200);
        long answered = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (emulator.stats().undelivered < 1 && System.nanoTime() < answered) {
            Thread.sleep(50);
        }
        assertThat(emulator.stats().requests).isEqualTo(2);
        assertThat(emulator.stats().undelivered).isEqualTo(1);
    }

    @Test
    void slowAnswersDoNotHoldThreads() throws Exception {
        emulator = GeminiEmulator.builder().workerThreads(1).latency(LatencyModel.fixed(1000)).start();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                    + "/v1beta/models/gemini-2.5-flash:generateContent")).header("x-goog-api-key", "k")
                    .POST(HttpRequest.BodyPublishers.ofString(generateBody("chunk " + i))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(emulator.stats().maxConcurrent).as("one reader thread, yet all 20 were held at once").isEqualTo(20);
    }

    @Test
    void faultsByScriptRateAndMarker() throws Exception {
        emulator = GeminiEmulator.builder().faults(new FaultPlan(3).next(1, Fault.UNAVAILABLE))
                .slowDelay(Duration.ofMillis(300)).start();
        String path = "/v1beta/models/gemini-2.5-flash:generateContent";

        assertThat(post(path, "k", generateBody("a")).statusCode()).isEqualTo(503);
        assertThat(post(path, "k", generateBody("a")).statusCode()).isEqualTo(200);
        assertThat(json.readTree(post(path, "k", generateBody("x " + Fault.SAFETY.marker())).body())
                .at("/candidates/0/finishReason").asText()).isEqualTo("SAFETY");
        assertThat(json.readTree(post(path, "k", generateBody("x " + Fault.BLOCKED_PROMPT.marker())).body())
                .at("/promptFeedback/blockReason").asText()).isEqualTo("SAFETY");
        JsonNode truncated = json.readTree(post(path, "k", generateBody("one two three four five six "
                + Fault.MAX_TOKENS.marker())).body());
        assertThat(truncated.at("/candidates/0/finishReason").asText()).isEqualTo("MAX_TOKENS");
        assertThat(json.readTree(post(path, "k", generateBody("x " + Fault.EMPTY_CANDIDATES.marker())).body())
                .has("candidates")).isFalse();
        assertThat(post(path, "k", generateBody("x " + Fault.SLOW.marker())).statusCode()).isEqualTo(200);
        assertThat(emulator.stats().log.get(emulator.stats().log.size() - 1).answerDelayMillis)
                .as("a SLOW answer is held for the slow delay").isEqualTo(300);
        emulator.faults().rate(Fault.INTERNAL, 1.0);
        assertThat(post(path, "k", generateBody("a")).statusCode()).isEqualTo(500);

        EmulatorStats stats = emulator.stats();
        assertThat(stats.byOutcome).containsEntry("UNAVAILABLE", 1).containsEntry("SAFETY", 1)
                .containsEntry("BLOCKED", 1).containsEntry("MAX_TOKENS", 1).containsEntry("EMPTY", 1)
                .containsEntry("INTERNAL", 1).containsEntry("STOP", 1).containsEntry("SLOW", 1);
    }

    @Test
    void statsEndpointServesTheSameNumbersAsJson() throws Exception {
        emulator = GeminiEmulator.builder().clock(clock).start();
        post("/v1beta/models/gemini-2.5-flash:generateContent", "k", generateBody(PROMPT));

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + GeminiEmulator.STATS_PATH))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        JsonNode stats = json.readTree(r.body());
        assertThat(stats.get("requests").asInt()).isEqualTo(1);
        assertThat(stats.at("/byStatus/200").asInt()).isEqualTo(1);
        assertThat(stats.at("/maxRequestsInAnyWindow/ADMITTED").asInt()).isEqualTo(1);
        assertThat(stats.at("/maxInputTokensInAnyWindow/OK").asInt()).isEqualTo(emulator.stats().log.get(0).inputTokens);
        assertThat(stats.at("/log/0/context").asText()).isEqualTo("Before.");
        assertThat(stats.at("/log/0/status").asInt()).isEqualTo(200);
    }

    @Test
    void canKeepOnlyDigestsOfTexts() throws Exception {
        emulator = GeminiEmulator.builder().logTexts(false).start();
        post("/v1beta/models/gemini-2.5-flash:generateContent", "k", generateBody(PROMPT));

        RequestLogEntry logged = emulator.stats().log.get(0);
        assertThat(logged.text).isNull();
        assertThat(logged.context).isNull();
        assertThat(logged.textSha256).isEqualTo(RequestLogEntry.sha256("Hello world."));
        assertThat(logged.contextSha256).isEqualTo(RequestLogEntry.sha256("Before."));
    }
}
