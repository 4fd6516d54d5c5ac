package io.paralleltranslation.operators.gemini;

import java.util.Map;
import java.util.Objects;

/**
 * The Gemini API key, kept out of every log line, exception and toString. Deliberately not
 * Serializable: resolve it where the client is built (an operator's {@code open()}), so the key
 * never travels inside a serialized job graph.
 */
public final class ApiKey {
    /** The environment variable read when no key is configured. */
    public static final String ENV_VAR = "GEMINI_API_KEY";

    private final String value;

    private ApiKey(String value) {
        this.value = value;
    }

    public static ApiKey of(String value) {
        if (value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException("the Gemini API key is empty");
        }
        return new ApiKey(value.trim());
    }

    /** The configured key when it is set, else {@value #ENV_VAR} from the environment. */
    public static ApiKey resolve(String configured) {
        return resolve(configured, System.getenv());
    }

    static ApiKey resolve(String configured, Map<String, String> environment) {
        if (configured != null && !configured.trim().isEmpty()) {
            return of(configured);
        }
        String fromEnv = Objects.requireNonNull(environment, "environment").get(ENV_VAR);
        if (fromEnv == null || fromEnv.trim().isEmpty()) {
            throw new IllegalStateException("no Gemini API key: configure one or set the " + ENV_VAR
                    + " environment variable");
        }
        return of(fromEnv);
    }

    /** The secret itself; only the SDK client builder and redaction may see it. */
    String reveal() {
        return value;
    }

    /** Replaces every occurrence of the key in {@code text} (null stays null). */
    String redact(String text) {
        return text == null ? null : text.replace(value, "[redacted]");
    }

    @Override
    public String toString() {
        return "ApiKey{****}";
    }
}
