package io.paralleltranslation.operators.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.genai.errors.ClientException;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.errors.ServerException;
import com.google.genai.types.GenerateContentResponse;
import io.paralleltranslation.operators.gemini.TranslationOutcome.Kind;
import io.paralleltranslation.operators.gemini.TranslationOutcome.QuotaKind;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OutcomeClassifierTest {
    private static final String KEY = "AIzaSyD-very-secret-key-value";
    // 23:00 in Los Angeles (PST): one hour to the quota day's end.
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T07:00:00Z"), ZoneOffset.UTC);
    private final OutcomeClassifier classifier = new OutcomeClassifier(ApiKey.of(KEY), CLOCK, Duration.ofSeconds(60));

    private static GenerateContentResponse response(String json) {
        return GenerateContentResponse.fromJson(json);
    }

    @Test
    void successKeepsTextUsageAndFinishReason() {
        TranslationOutcome o = classifier.fromResponse(response("{\"candidates\":[{\"content\":{\"parts\":["
                + "{\"text\":\"thinking...\",\"thought\":true},{\"text\":\"Hallo \"},{\"text\":\"Welt\"}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":120,\"candidatesTokenCount\":7}}"), 1024);

        assertThat(o.kind()).isEqualTo(Kind.SUCCESS);
        assertThat(o.text()).contains("Hallo Welt");
        assertThat(o.promptTokens()).isEqualTo(120);
        assertThat(o.candidatesTokens()).isEqualTo(7);
        assertThat(o.finishReason()).contains("STOP");
    }

    @Test
    void echoedDelimitersAreDropped() {
        TranslationOutcome o = classifier.fromResponse(response("{\"candidates\":[{\"content\":{\"parts\":["
                + "{\"text\":\"<text_to_translate>\\nHallo\\n</text_to_translate>\"}]},\"finishReason\":\"STOP\"}]}"), 10);
        assertThat(o.text()).contains("Hallo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "OTHER", "LANGUAGE"})
    void stoppedGenerationsArePermanent(String finish) {
        TranslationOutcome o = classifier.fromResponse(response("{\"candidates\":[{\"finishReason\":\"" + finish
                + "\"}],\"usageMetadata\":{\"promptTokenCount\":50}}"), 10);

        assertThat(o.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(o.finishReason()).contains(finish);
        assertThat(o.promptTokens()).isEqualTo(50);
    }

    @Test
    void maxTokensIsPermanentTruncation() {
        TranslationOutcome o = classifier.fromResponse(response("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":"
                + "\"Hal\"}]},\"finishReason\":\"MAX_TOKENS\"}]}"), 2048);
        assertThat(o.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(o.reason()).isEqualTo("output truncated at maxOutputTokens=2048");
    }

    @Test
    void blockedPromptEmptyCandidatesAndEmptyTextArePermanent() {
        assertThat(classifier.fromResponse(response("{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"}}"), 1)
                .reason()).isEqualTo("prompt blocked: PROHIBITED_CONTENT");
        assertThat(classifier.fromResponse(response("{\"candidates\":[]}"), 1).reason())
                .isEqualTo("no candidates in the response");
        assertThat(classifier.fromResponse(response("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" \"}]},"
                + "\"finishReason\":\"STOP\"}]}"), 1).reason()).isEqualTo("empty translation");
        // Only the echoed tags, nothing inside: empty once the tags are stripped, not a success.
        assertThat(classifier.fromResponse(response("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":"
                + "\"<text_to_translate>\\n \\n</text_to_translate>\"}]},\"finishReason\":\"STOP\"}]}"), 1).reason())
                .isEqualTo("empty translation");
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 500, 502, 503, 504})
    void transientStatusesBackOff(int code) {
        Exception e = code < 500 ? new ClientException(code, "DEADLINE_EXCEEDED", "timeout")
                : new ServerException(code, "UNAVAILABLE", "The model is overloaded.");
        TranslationOutcome o = classifier.fromFailure(new CompletionException(e));
        assertThat(o.kind()).isEqualTo(Kind.RETRY_BACKOFF);
        assertThat(o.httpStatus()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 501})
    void otherStatusesArePermanent(int code) {
        TranslationOutcome o = classifier.fromFailure(new CompletionException(
                code < 500 ? new ClientException(code, "INVALID_ARGUMENT", "bad") : new ServerException(code, "X", "no")));
        assertThat(o.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(o.httpStatus()).isEqualTo(code);
    }

    @Test
    void ioAndTimeoutsBackOff() {
        assertThat(classifier.fromFailure(new CompletionException(new GenAiIOException("Failed to execute HTTP request.",
                new InterruptedIOException("timeout")))).kind()).isEqualTo(Kind.RETRY_BACKOFF);
        assertThat(classifier.fromFailure(new SocketTimeoutException("read timed out")).kind()).isEqualTo(Kind.RETRY_BACKOFF);
        assertThat(classifier.fromFailure(new IllegalStateException("bug")).kind()).isEqualTo(Kind.PERMANENT);
    }

    @Test
    void a429WithoutDetailsFallsBack() {
        TranslationOutcome o = classifier.fromFailure(new ClientException(429, "RESOURCE_EXHAUSTED", "Resource exhausted."));
        assertThat(o.kind()).isEqualTo(Kind.RETRY_AFTER);
        assertThat(o.quotaKind()).contains(QuotaKind.OTHER);
        assertThat(o.retryDelay()).contains(Duration.ofSeconds(60));
    }

    @Test
    void aPerDay429WithoutDelayWaitsForMidnightInLosAngeles() {
        TranslationOutcome o = classifier.fromFailure(new ClientException(429, "RESOURCE_EXHAUSTED",
                "Quota exceeded. {\"quotaId\":\"GenerateRequestsPerDayPerProjectPerModel-FreeTier\"}"));
        assertThat(o.quotaKind()).contains(QuotaKind.REQUESTS_PER_DAY);
        assertThat(o.retryDelay()).contains(Duration.ofHours(1));
    }

    @Test
    void theKeyNeverReachesAReason() {
        String leaky = "API key " + KEY + " not valid. Please pass a valid API key.";
        TranslationOutcome[] outcomes = {
            classifier.fromFailure(new ClientException(400, "INVALID_ARGUMENT", leaky)),
            classifier.fromFailure(new ClientException(429, "RESOURCE_EXHAUSTED", leaky + " Please retry in 3s.")),
            classifier.fromFailure(new ServerException(503, "UNAVAILABLE", leaky)),
            classifier.fromFailure(new GenAiIOException(leaky, new java.io.IOException(leaky))),
            classifier.fromFailure(new IllegalStateException(leaky)),
        };
        for (TranslationOutcome o : outcomes) {
            assertThat(o.reason()).doesNotContain(KEY);
            assertThat(o.toString()).doesNotContain(KEY);
        }
    }
}
