package io.paralleltranslation.operators.gemini;

import com.google.genai.errors.ApiException;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.types.Candidate;
import com.google.genai.types.FinishReason;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponsePromptFeedback;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.Part;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns every answer of a generateContent call (a response, or the failure the SDK reports) into a
 * {@link TranslationOutcome}. Reason strings are cut short and scrubbed of the API key.
 */
final class OutcomeClassifier {
    private static final ZoneId QUOTA_DAY_ZONE = ZoneId.of("America/Los_Angeles");
    private static final int MAX_REASON_CHARS = 300;

    private final ApiKey apiKey;
    private final Clock clock;
    private final Duration fallbackRetryDelay;

    OutcomeClassifier(ApiKey apiKey, Clock clock, Duration fallbackRetryDelay) {
        this.apiKey = apiKey;
        this.clock = clock;
        this.fallbackRetryDelay = fallbackRetryDelay;
    }

    TranslationOutcome fromResponse(GenerateContentResponse response, int maxOutputTokens) {
        long promptTokens = 0;
        long candidatesTokens = 0;
        if (response.usageMetadata().isPresent()) {
            GenerateContentResponseUsageMetadata usage = response.usageMetadata().get();
            promptTokens = usage.promptTokenCount().orElse(0);
            candidatesTokens = usage.candidatesTokenCount().orElse(0);
        }
        if (response.promptFeedback().flatMap(GenerateContentResponsePromptFeedback::blockReason).isPresent()) {
            String blocked = response.promptFeedback().get().blockReason().get().toString();
            return TranslationOutcome.permanent(200, null, promptTokens, "prompt blocked: " + blocked);
        }
        List<Candidate> candidates = response.candidates().orElse(Collections.emptyList());
        if (candidates.isEmpty()) {
            return TranslationOutcome.permanent(200, null, promptTokens, "no candidates in the response");
        }
        Candidate candidate = candidates.get(0);
        String finish = candidate.finishReason().map(FinishReason::toString).orElse("STOP");
        if (FinishReason.Known.FINISH_REASON_UNSPECIFIED.name().equals(finish)) {
            finish = "STOP";
        }
        if ("MAX_TOKENS".equals(finish)) {
            // Not retried here: a second call would spend a request the global quota did not grant.
            return TranslationOutcome.permanent(200, finish, promptTokens,
                    "output truncated at maxOutputTokens=" + maxOutputTokens);
        }
        if (!"STOP".equals(finish)) {
            return TranslationOutcome.permanent(200, finish, promptTokens, "generation stopped: " + finish);
        }
        // Checked after the echoed tags are stripped: tags around nothing are no translation.
        String text = GeminiPrompt.cleanOutput(text(candidate));
        if (text.trim().isEmpty()) {
            return TranslationOutcome.permanent(200, finish, promptTokens, "empty translation");
        }
        return TranslationOutcome.success(text, promptTokens, candidatesTokens, finish)
                .withModelVersion(response.modelVersion().orElse(null));
    }

    TranslationOutcome fromFailure(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof ApiException) {
            ApiException api = (ApiException) t;
            int code = api.code();
            String reason = reason("HTTP " + code + " " + api.status() + ": " + firstLine(api.message()));
            if (code == 429) {
                QuotaErrorParser.QuotaError quota = QuotaErrorParser.parse(api.message());
                Duration delay = quota.retryDelay();
                if (delay == null) {
                    delay = quota.kind() == TranslationOutcome.QuotaKind.REQUESTS_PER_DAY
                            ? untilQuotaDayEnds() : fallbackRetryDelay;
                }
                String ids = quota.quotaIds().isEmpty() ? "no quotaId" : String.join(",", quota.quotaIds());
                return TranslationOutcome.retryAfter(delay, quota.kind(), code, reason("HTTP 429 " + ids));
            }
            if (code == 408 || code == 500 || code == 502 || code == 503 || code == 504) {
                return TranslationOutcome.retryBackoff(code, reason);
            }
            return TranslationOutcome.permanent(code, null, 0, reason);
        }
        if (isTransport(t)) {
            return TranslationOutcome.retryBackoff(0, reason("I/O: " + describe(t)));
        }
        return TranslationOutcome.permanent(0, null, 0, reason("unexpected failure: " + describe(t)));
    }

    private Duration untilQuotaDayEnds() {
        Instant now = clock.instant();
        Instant midnight = LocalDate.ofInstant(now, QUOTA_DAY_ZONE).plusDays(1).atStartOfDay(QUOTA_DAY_ZONE).toInstant();
        return Duration.between(now, midnight);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** I/O errors, timeouts and the SDK's wrapper of them: the request may not have been served. */
    private static boolean isTransport(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException || c instanceof GenAiIOException || c instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(t.getClass().getSimpleName());
        if (t.getMessage() != null) {
            s.append(": ").append(firstLine(t.getMessage()));
        }
        Throwable cause = t.getCause();
        if (cause != null && cause != t) {
            s.append(" (").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                s.append(": ").append(firstLine(cause.getMessage()));
            }
            s.append(')');
        }
        return s.toString();
    }

    private String reason(String text) {
        String redacted = apiKey.redact(text);
        return redacted.length() <= MAX_REASON_CHARS ? redacted : redacted.substring(0, MAX_REASON_CHARS) + "...";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String text(Candidate candidate) {
        StringBuilder text = new StringBuilder();
        if (candidate.content().isPresent()) {
            for (Part part : candidate.content().get().parts().orElse(Collections.emptyList())) {
                if (!part.thought().orElse(false)) {
                    part.text().ifPresent(text::append);
                }
            }
        }
        return text.toString();
    }
}
