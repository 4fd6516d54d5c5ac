package io.paralleltranslation.operators.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.genai.Client;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import io.paralleltranslation.gemini.emulator.GeminiEmulator;
import io.paralleltranslation.gemini.emulator.LatencyModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client really holds {@code capacity} calls open at once. The emulator counts the requests it
 * holds simultaneously; each answer takes long enough that all callers overlap.
 */
class GeminiClientConcurrencyITCase {
    private static final int CAPACITY = 10;
    private static final String KEY = "concurrency-test-key";

    private GeminiEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        emulator = GeminiEmulator.builder().apiKey(KEY).latency(LatencyModel.fixed(1500)).start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void runsCapacityCallsAtOnce() throws Exception {
        GeminiClientSettings settings = GeminiClientSettings.builder().baseUrl(emulator.baseUrl())
                .requestTimeout(Duration.ofSeconds(30)).forCapacity(CAPACITY).build();
        try (GeminiTranslationClient client = new GeminiTranslationClient(settings, ApiKey.of(KEY))) {
            List<CompletableFuture<TranslationOutcome>> calls = new ArrayList<>();
            for (int i = 0; i < CAPACITY; i++) {
                calls.add(client.translate(new TranslationRequest(null, "chunk " + i, "", "en", "de", null)));
            }
            for (CompletableFuture<TranslationOutcome> call : calls) {
                assertThat(call.get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
            }
        }
        assertThat(emulator.stats().maxConcurrent).isEqualTo(CAPACITY);
    }

    /** The trap this guards against: the SDK's default OkHttp dispatcher allows 5 calls per host. */
    @Test
    void theSdkDefaultHoldsOnlyFive() throws Exception {
        Client raw = Client.builder().apiKey(KEY).vertexAI(false)
                .httpOptions(HttpOptions.builder().baseUrl(emulator.baseUrl()).apiVersion("v1beta")
                        .retryOptions(GeminiTranslationClient.noSdkRetries()).build())
                .build();
        try {
            List<CompletableFuture<GenerateContentResponse>> calls = new ArrayList<>();
            for (int i = 0; i < CAPACITY; i++) {
                calls.add(raw.async.models.generateContent("gemini-2.5-flash", "chunk " + i, null));
            }
            for (CompletableFuture<GenerateContentResponse> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            raw.close();
        }
        assertThat(emulator.stats().maxConcurrent).isEqualTo(5);
    }
}
