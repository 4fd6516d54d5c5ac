package io.paralleltranslation.job.config;

import java.io.Serializable;
import java.util.Map;
import org.apache.flink.util.function.SerializableSupplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Fetches the Gemini API key named by an {@link ApiKeySource} where it is used: an operator calls
 * {@link #get()} in {@code open()}, so the key is read on the task manager and never travels in
 * the job graph. Messages name the source, never the key.
 */
public final class ApiKeyProvider implements SerializableSupplier<String> {
    private static final long serialVersionUID = 1L;

    /** Reads one secret's string value; tests pass a fake. */
    @FunctionalInterface
    public interface SecretReader {
        String read(String secretId);
    }

    /** Builds the secret reader on the task manager (the SDK client is not serializable). */
    @FunctionalInterface
    public interface SecretReaderFactory extends Serializable {
        SecretReader create();
    }

    /** Environment variables; tests pass a map. */
    @FunctionalInterface
    public interface Environment extends Serializable {
        Map<String, String> variables();
    }

    private final ApiKeySource source;
    private final Environment environment;
    private final SecretReaderFactory secrets;

    public ApiKeyProvider(ApiKeySource source, Environment environment, SecretReaderFactory secrets) {
        this.source = source;
        this.environment = environment;
        this.secrets = secrets;
    }

    /**
     * The provider for a run: the process environment, Secrets Manager in {@code region}. One
     * request per operator start, so the JDK's URL connection serves it: the Managed Flink jar
     * bundles no other sync HTTP client (docs/deploy.md, The jar).
     */
    public static ApiKeyProvider forRun(JobConfig config) {
        String region = config.kinesisRegion();
        return new ApiKeyProvider(config.apiKeySource(), System::getenv,
                () -> secretId -> {
                    try (SecretsManagerClient client = SecretsManagerClient.builder().region(Region.of(region))
                            .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
                        return client.getSecretValue(b -> b.secretId(secretId)).secretString();
                    }
                });
    }

    @Override
    public String get() {
        String key;
        switch (source.kind()) {
            case ENV:
                key = environment.variables().get(source.reference());
                break;
            case SECRETSMANAGER:
                key = secrets.create().read(source.reference());
                break;
            default:
                key = source.reference();
                break;
        }
        if (key == null || key.trim().isEmpty()) {
            throw new IllegalStateException("no Gemini API key at " + source + " (gemini.api-key-source)");
        }
        return key.trim();
    }

    @Override
    public String toString() {
        return "ApiKeyProvider{" + source + "}";
    }
}
