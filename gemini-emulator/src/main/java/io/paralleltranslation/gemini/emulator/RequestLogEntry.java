package io.paralleltranslation.gemini.emulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One generate request as the emulator saw and answered it. Times come from the emulator's clock.
 * {@code text} and {@code context} are what it parsed out of the prompt (see {@link PromptParts}),
 * so end-to-end tests can check that each chunk carried its own context; with
 * {@code logTexts(false)} only their SHA-256 digests are kept (long benchmarks).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RequestLogEntry {
    public final long timeMillis;
    public final String model;
    /** {@code generateContent} or {@code streamGenerateContent}. */
    public final String method;
    public final int status;
    /** STOP, a finish reason, BLOCKED, EMPTY, a fault name, a quota id, or an error status. */
    public final String outcome;
    /** Whether the request consumed quota (it passed key, model, body and quota checks). */
    public final boolean admitted;
    public final int inputTokens;
    public final int outputTokens;
    public final String targetLanguage;
    public final String text;
    public final String context;
    public final String textSha256;
    public final String contextSha256;
    /** How long the emulator held the answer after {@link #timeMillis}: the call was in flight until then. */
    public final long answerDelayMillis;

    RequestLogEntry(long timeMillis, String model, String method, int status, String outcome, boolean admitted,
            int inputTokens, int outputTokens, PromptParts parts, boolean keepTexts, long answerDelayMillis) {
        this.timeMillis = timeMillis;
        this.answerDelayMillis = answerDelayMillis;
        this.model = model;
        this.method = method;
        this.status = status;
        this.outcome = outcome;
        this.admitted = admitted;
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.targetLanguage = parts == null ? null : parts.targetLanguage();
        String parsedText = parts == null ? null : parts.text();
        String parsedContext = parts == null ? null : parts.context();
        this.text = keepTexts ? parsedText : null;
        this.context = keepTexts ? parsedContext : null;
        this.textSha256 = parsedText == null ? null : sha256(parsedText);
        this.contextSha256 = parsedContext == null ? null : sha256(parsedContext);
    }

    public static String sha256(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "RequestLogEntry{t=" + timeMillis + ", " + model + ", " + status + " " + outcome + ", in=" + inputTokens
                + ", out=" + outputTokens + "}";
    }
}
