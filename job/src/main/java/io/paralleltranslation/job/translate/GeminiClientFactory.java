package io.paralleltranslation.job.translate;

import io.paralleltranslation.job.config.ApiKeyProvider;
import io.paralleltranslation.job.config.GeminiOptions;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.TranslateOptions;
import io.paralleltranslation.operators.gemini.ApiKey;
import io.paralleltranslation.operators.gemini.GeminiClientSettings;
import io.paralleltranslation.operators.gemini.GeminiTranslationClient;
import io.paralleltranslation.operators.gemini.TranslationClient;
import io.paralleltranslation.operators.translate.TranslationClientFactory;
import java.net.URI;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * Builds the Gemini client on the task manager. It travels with the job graph holding only the
 * client settings and where the API key comes from; the key itself is read in {@link #create()},
 * which the translate operator calls in {@code open()}.
 */
public final class GeminiClientFactory implements TranslationClientFactory {
    private static final long serialVersionUID = 1L;

    private final GeminiClientSettings settings;
    private final SerializableSupplier<String> apiKey;

    public GeminiClientFactory(GeminiClientSettings settings, SerializableSupplier<String> apiKey) {
        this.settings = settings;
        this.apiKey = apiKey;
    }

    /** The client the config's {@code gemini.*} keys describe, sized for {@code translate.capacity}. */
    public static GeminiClientFactory from(JobConfig config) {
        return new GeminiClientFactory(settings(config), ApiKeyProvider.forRun(config));
    }

    static GeminiClientSettings settings(JobConfig config) {
        URI baseUrl = config.geminiBaseUrl();
        int thinkingBudget = config.get(GeminiOptions.THINKING_BUDGET);
        return GeminiClientSettings.builder()
                .baseUrl(baseUrl == null ? null : baseUrl.toString())
                .apiVersion(config.get(GeminiOptions.API_VERSION))
                .defaultModel(config.get(GeminiOptions.MODEL))
                .temperature(config.get(GeminiOptions.TEMPERATURE).floatValue())
                // -1 in the config: the model decides (null to the client).
                .thinkingBudget(thinkingBudget < 0 ? null : thinkingBudget)
                .requestTimeout(config.get(GeminiOptions.REQUEST_TIMEOUT))
                .forCapacity(config.get(TranslateOptions.CAPACITY))
                .build();
    }

    GeminiClientSettings settings() {
        return settings;
    }

    @Override
    public TranslationClient create() {
        return new GeminiTranslationClient(settings, ApiKey.of(apiKey.get()));
    }

    @Override
    public String toString() {
        return "GeminiClientFactory{" + settings + ", key from " + apiKey + "}";
    }
}
