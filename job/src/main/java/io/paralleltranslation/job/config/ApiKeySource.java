package io.paralleltranslation.job.config;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the Gemini API key comes from: {@code env:NAME} (an environment variable),
 * {@code secretsmanager:ID_OR_ARN} (AWS Secrets Manager), or {@code literal:KEY} (local runs
 * against the emulator only). Holds the reference, never a fetched key; a literal key is masked in
 * {@link #toString()}.
 */
public final class ApiKeySource implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The three ways to name the key. */
    public enum Kind { ENV, SECRETSMANAGER, LITERAL }

    private final Kind kind;
    private final String reference;

    private ApiKeySource(Kind kind, String reference) {
        this.kind = kind;
        this.reference = reference;
    }

    /** Parses {@code kind:reference}; the message never repeats a literal key. */
    public static ApiKeySource parse(String text) {
        int colon = text.indexOf(':');
        String prefix = colon < 0 ? "" : text.substring(0, colon);
        String reference = colon < 0 ? "" : text.substring(colon + 1).trim();
        Kind kind;
        switch (prefix) {
            case "env":
                kind = Kind.ENV;
                if (!reference.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("env: needs an environment variable name");
                }
                break;
            case "secretsmanager":
                kind = Kind.SECRETSMANAGER;
                if (reference.isEmpty()) {
                    throw new IllegalArgumentException("secretsmanager: needs a secret id or ARN");
                }
                break;
            case "literal":
                kind = Kind.LITERAL;
                if (reference.isEmpty()) {
                    throw new IllegalArgumentException("literal: needs the key");
                }
                break;
            default:
                throw new IllegalArgumentException("use env:NAME, secretsmanager:ID_OR_ARN or literal:KEY");
        }
        return new ApiKeySource(kind, reference);
    }

    public Kind kind() {
        return kind;
    }

    /** The variable name, the secret id/ARN, or (for LITERAL) the key itself: never log it raw. */
    public String reference() {
        return reference;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKeySource && ((ApiKeySource) o).kind == kind
                && ((ApiKeySource) o).reference.equals(reference);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, reference);
    }

    @Override
    public String toString() {
        return kind == Kind.LITERAL ? "literal:****" : kind.name().toLowerCase(Locale.ROOT) + ":" + reference;
    }
}
