package io.paralleltranslation.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The identity of a translation: the SHA-256 (hex) of everything that decides the model's answer.
 * Two requests with the same key would be sent the same prompt with the same settings, so the
 * answer paid for once may be served for both.
 *
 * <p>Each part is written as a tag, its UTF-8 length and its bytes, so no two different requests
 * hash the same input ("ab"+"c" and "a"+"bc" differ). The glossary keeps its order because the
 * prompt does. A null source language and an empty one both mean "detect it" and hash alike.
 */
public final class CacheKey {
    /** Bump when the encoding below changes: every old entry then misses instead of answering wrongly. */
    private static final String KEY_FORMAT = "pt-cache-key-v1";

    private final String hex;

    private CacheKey(String hex) {
        this.hex = hex;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** 64 lowercase hex digits. */
    public String hex() {
        return hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey && ((CacheKey) o).hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    @Override
    public String toString() {
        return hex;
    }

    /** Every part is required except the source language, the glossary and the previous context. */
    public static final class Builder {
        private String model;
        private String generationSettings;
        private String promptVersion;
        private String sourceLanguage;
        private String targetLanguage;
        private Map<String, String> glossary = Collections.emptyMap();
        private String previousContext = "";
        private String text;

        private Builder() {}

        /** The model id the call goes to (the default model already resolved). */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Settings of the call that change its answer (temperature, thinking budget...), as one string. */
        public Builder generationSettings(String settings) {
            this.generationSettings = settings;
            return this;
        }

        /** Identifies the prompt template: a new template must not be answered from the old one's results. */
        public Builder promptVersion(String version) {
            this.promptVersion = version;
            return this;
        }

        public Builder sourceLanguage(String language) {
            this.sourceLanguage = language;
            return this;
        }

        public Builder targetLanguage(String language) {
            this.targetLanguage = language;
            return this;
        }

        public Builder glossary(Map<String, String> glossary) {
            this.glossary = glossary == null ? Collections.emptyMap() : new LinkedHashMap<>(glossary);
            return this;
        }

        public Builder previousContext(String context) {
            this.previousContext = context == null ? "" : context;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public CacheKey build() {
            MessageDigest sha = sha256();
            part(sha, "format", KEY_FORMAT);
            part(sha, "model", Objects.requireNonNull(model, "model"));
            part(sha, "settings", Objects.requireNonNull(generationSettings, "generationSettings"));
            part(sha, "prompt", Objects.requireNonNull(promptVersion, "promptVersion"));
            part(sha, "source", sourceLanguage == null ? "" : sourceLanguage);
            part(sha, "target", Objects.requireNonNull(targetLanguage, "targetLanguage"));
            part(sha, "glossary", Integer.toString(glossary.size()));
            for (Map.Entry<String, String> e : glossary.entrySet()) {
                part(sha, "term", e.getKey());
                part(sha, "means", e.getValue());
            }
            part(sha, "context", previousContext);
            part(sha, "text", Objects.requireNonNull(text, "text"));
            return new CacheKey(toHex(sha.digest()));
        }

        private static void part(MessageDigest sha, String tag, String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            sha.update(tag.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) ':');
            sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) ':');
            sha.update(bytes);
        }
    }

    /** SHA-256 (hex) of {@code text}: e.g. a prompt template's version. */
    public static String sha256Hex(String text) {
        return toHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String toHex(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return s.toString();
    }
}
