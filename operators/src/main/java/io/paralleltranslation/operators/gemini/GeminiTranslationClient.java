package io.paralleltranslation.operators.gemini;

import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import com.google.genai.types.ThinkingConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TranslationClient} over the google-genai SDK's async API. The SDK's own retries are off
 * (the operator owns retries and the quota), connections per host are raised to the operator's
 * capacity, and every call has a timeout. One instance per subtask: build it in {@code open()},
 * close it in {@code close()} (the SDK client is not serializable).
 */
public final class GeminiTranslationClient implements TranslationClient {
    private static final Logger LOG = LoggerFactory.getLogger(GeminiTranslationClient.class);
    /** Connections opened before the first grant (at most the per-host limit). */
    private static final int WARM_CONNECTIONS = 4;
    /** An answer as Gemini gives it, parsed once in the warm-up. */
    private static final String WARM_UP_ANSWER = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Aufwaermen\"}],"
            + "\"role\":\"model\"},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":12,"
            + "\"candidatesTokenCount\":3,\"totalTokenCount\":15},\"modelVersion\":\"warm-up\"}";

    private final GeminiClientSettings settings;
    private final Client client;
    private final OutcomeClassifier classifier;
    private final TokenEstimateCorrection correction = new TokenEstimateCorrection();

    public GeminiTranslationClient(GeminiClientSettings settings, ApiKey apiKey) {
        this(settings, apiKey, Clock.systemUTC());
    }

    /** @param clock used only to wait out a per-day quota whose 429 names no delay */
    public GeminiTranslationClient(GeminiClientSettings settings, ApiKey apiKey, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(apiKey, "apiKey");
        this.classifier = new OutcomeClassifier(apiKey, clock, settings.fallbackRetryDelay());
        this.client = Client.builder()
                .apiKey(apiKey.reveal())
                .vertexAI(false)
                .httpOptions(httpOptions(settings))
                .clientOptions(ClientOptions.builder()
                        .maxConnections(settings.maxConnections())
                        .maxConnectionsPerHost(settings.maxConnectionsPerHost())
                        .build())
                .build();
    }

    static HttpOptions httpOptions(GeminiClientSettings settings) {
        HttpOptions.Builder http = HttpOptions.builder()
                .apiVersion(settings.apiVersion())
                .timeout((int) settings.requestTimeout().toMillis())
                .retryOptions(noSdkRetries());
        if (settings.baseUrl() != null) {
            http.baseUrl(settings.baseUrl());
        }
        return http.build();
    }

    /**
     * One attempt and a zero initial delay: with {@code attempts(1)} alone the SDK still sleeps
     * once (up to 2 s) after a retryable status before returning it.
     */
    static HttpRetryOptions noSdkRetries() {
        return HttpRetryOptions.builder().attempts(1).initialDelay(0.0).build();
    }

    @Override
    public CompletableFuture<TranslationOutcome> translate(TranslationRequest request) {
        String model = request.model() == null || request.model().trim().isEmpty()
                ? settings.defaultModel() : request.model().trim();
        GeminiPrompt prompt = GeminiPrompt.of(request);
        int maxOutputTokens = prompt.maxOutputTokens(settings);
        GenerateContentConfig config = config(prompt, maxOutputTokens);
        Content user = userMessage(prompt);
        CompletableFuture<TranslationOutcome> outcome;
        try {
            long bound = prompt.estimateInputTokens(settings);
            outcome = client.async.models.generateContent(model, user, config)
                    .handle((response, failure) -> failure == null
                            ? classifier.fromResponse(response, maxOutputTokens)
                            : classifier.fromFailure(failure))
                    .whenComplete((o, e) -> {
                        if (o != null && o.promptTokens() > 0) {
                            correction.observe(prompt.script(), bound, o.promptTokens());
                        }
                    });
        } catch (RuntimeException e) {
            outcome = CompletableFuture.completedFuture(classifier.fromFailure(e));
        }
        // A bug in classification must still complete the future: the contract forbids exceptional completion.
        return outcome.exceptionally(e -> TranslationOutcome.permanent(0, null, 0, "classification failed: "
                + e.getClass().getSimpleName())).whenComplete((o, e) -> LOG.debug("Gemini {} {}: {}", model, request, o));
    }

    private GenerateContentConfig config(GeminiPrompt prompt, int maxOutputTokens) {
        GenerateContentConfig.Builder config = GenerateContentConfig.builder()
                .systemInstruction(Content.fromParts(Part.fromText(prompt.systemInstruction())))
                .maxOutputTokens(maxOutputTokens);
        if (settings.temperature() != null) {
            config.temperature(settings.temperature());
        }
        if (settings.thinkingBudget() != null) {
            config.thinkingConfig(ThinkingConfig.builder().thinkingBudget(settings.thinkingBudget()).build());
        }
        return config.build();
    }

    private static Content userMessage(GeminiPrompt prompt) {
        return Content.builder().role("user").parts(Part.fromText(prompt.userMessage())).build();
    }

    /**
     * A few concurrent {@code countTokens} calls (free, and not counted against generateContent's
     * quota): they load the SDK's and OkHttp's classes, open that many pooled connections (TLS
     * included) and build a request end to end, none of which then delays a granted call.
     */
    @Override
    public void warmUp(Duration timeout) throws Exception {
        int connections = Math.max(1, Math.min(WARM_CONNECTIONS, settings.maxConnectionsPerHost()));
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            calls.add(client.async.models.countTokens(settings.defaultModel(), "warm-up", null));
        }
        // Meanwhile, what the first granted call would otherwise do cold after its grant, while its
        // grant ages (MAX_GRANT_AGE) and the next ones wait for a send thread: build a request as
        // translate() does, serialize it, and parse and classify an answer.
        GeminiPrompt prompt = GeminiPrompt.of(new TranslationRequest(settings.defaultModel(), "warm-up", null, "en",
                "de", null));
        int maxOutputTokens = prompt.maxOutputTokens(settings);
        config(prompt, maxOutputTokens).toJson();
        userMessage(prompt).toJson();
        classifier.fromResponse(GenerateContentResponse.fromJson(WARM_UP_ANSWER), maxOutputTokens);
        CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public long estimateInputTokens(TranslationRequest request) {
        GeminiPrompt prompt = GeminiPrompt.of(request);
        return correction.corrected(prompt.script(), prompt.estimateInputTokens(settings));
    }

    public GeminiClientSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "GeminiTranslationClient{" + settings + "}";
    }
}
