package io.paralleltranslation.operators.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.gemini.emulator.EmulatorStats;
import io.paralleltranslation.gemini.emulator.Fault;
import io.paralleltranslation.gemini.emulator.GeminiEmulator;
import io.paralleltranslation.ratelimit.ManualClock;
import io.paralleltranslation.gemini.emulator.PseudoTranslator;
import io.paralleltranslation.gemini.emulator.QuotaLimits;
import io.paralleltranslation.gemini.emulator.RequestLogEntry;
import io.paralleltranslation.operators.gemini.TranslationOutcome.Kind;
import io.paralleltranslation.operators.gemini.TranslationOutcome.QuotaKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The unmodified SDK, through {@link GeminiTranslationClient}, against the emulator: every answer and its class. */
class GeminiTranslationClientITCase {
    private static final String KEY = "AIzaSy-emulator-secret-key-0123";
    private static final String TEXT = "First paragraph of the chunk.\n\n- a list item with `inline code`\n- another item";
    private static final String CONTEXT = "The end of the previous chunk.";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T12:00:00Z"));
    private GeminiEmulator emulator;
    private GeminiTranslationClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private void start(UnaryOperator<GeminiEmulator.Builder> emulatorSetup,
            UnaryOperator<GeminiClientSettings.Builder> clientSetup) throws IOException {
        emulator = emulatorSetup.apply(GeminiEmulator.builder().apiKey(KEY).clock(clock)).start();
        client = new GeminiTranslationClient(
                clientSetup.apply(GeminiClientSettings.builder().baseUrl(emulator.baseUrl())
                        .requestTimeout(Duration.ofSeconds(20))).build(),
                ApiKey.of(KEY), clock);
    }

    private void start() throws IOException {
        start(b -> b, b -> b);
    }

    private TranslationOutcome translate(TranslationRequest request) throws Exception {
        return client.translate(request).get(30, TimeUnit.SECONDS);
    }

    private static TranslationRequest request(String text) {
        return new TranslationRequest(null, text, CONTEXT, "en", "de", null);
    }

    private RequestLogEntry lastLogEntry() {
        List<RequestLogEntry> log = emulator.stats().log;
        return log.get(log.size() - 1);
    }

    @Test
    void translatesTheChunkWithItsContextAndReportsUsage() throws Exception {
        start();
        TranslationRequest request = new TranslationRequest(null, TEXT, CONTEXT, "en", "de",
                Collections.singletonMap("chunk", "Abschnitt"));

        TranslationOutcome outcome = translate(request);

        assertThat(outcome.kind()).isEqualTo(Kind.SUCCESS);
        assertThat(outcome.text()).contains(PseudoTranslator.pseudoTranslate(TEXT, "de"));
        assertThat(outcome.finishReason()).contains("STOP");
        RequestLogEntry seen = lastLogEntry();
        assertThat(seen.text).isEqualTo(TEXT);
        assertThat(seen.context).isEqualTo(CONTEXT);
        assertThat(seen.targetLanguage).isEqualTo("de");
        assertThat(seen.model).isEqualTo("gemini-2.5-flash");
        assertThat(outcome.promptTokens()).isEqualTo(seen.inputTokens);
        assertThat(outcome.candidatesTokens()).isEqualTo(seen.outputTokens).isPositive();
        assertThat(client.estimateInputTokens(request)).isGreaterThanOrEqualTo(outcome.promptTokens());
    }

    /** The warm-up opens connections with free countTokens calls: nothing counts against the quota. */
    @Test
    void warmsUpWithCountTokensOnlyAndSpendsNoQuota() throws Exception {
        start(b -> b.limits(new QuotaLimits(1, 0, 1)), b -> b);
        client.warmUp(Duration.ofSeconds(20));
        EmulatorStats stats = emulator.stats();
        assertThat(stats.countTokensRequests).isEqualTo(4);
        assertThat(stats.log).isEmpty();
        assertThat(translate(request(TEXT)).kind()).as("the one request of the day is still there")
                .isEqualTo(Kind.SUCCESS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v1beta"})
    void servesBothApiVersionsAndRequestedModels(String version) throws Exception {
        start(b -> b, b -> b.apiVersion(version));
        TranslationOutcome outcome = translate(new TranslationRequest("gemini-2.5-pro", TEXT, "", null, "fr", null));

        assertThat(outcome.text()).contains(PseudoTranslator.pseudoTranslate(TEXT, "fr"));
        assertThat(lastLogEntry().model).isEqualTo("gemini-2.5-pro");
        assertThat(lastLogEntry().context).as("no context block when the chunk has none").isNull();
    }

    @Test
    void requestsPerMinute429CarriesQuotaIdAndDelay() throws Exception {
        start(b -> b.limits(new QuotaLimits(1, 0, 0)), b -> b);
        assertThat(translate(request(TEXT)).kind()).isEqualTo(Kind.SUCCESS);
        clock.advance(Duration.ofSeconds(15));

        TranslationOutcome refused = translate(request(TEXT));

        assertThat(refused.kind()).isEqualTo(Kind.RETRY_AFTER);
        assertThat(refused.httpStatus()).isEqualTo(429);
        assertThat(refused.quotaKind()).contains(QuotaKind.REQUESTS_PER_MINUTE);
        assertThat(refused.retryDelay()).contains(Duration.ofSeconds(45));
        assertThat(refused.reason()).contains("GenerateRequestsPerMinutePerProjectPerModel-FreeTier");

        clock.advance(Duration.ofSeconds(45));
        assertThat(translate(request(TEXT)).kind()).isEqualTo(Kind.SUCCESS);
    }

    @Test
    void inputTokensPerMinute429() throws Exception {
        start(b -> b, b -> b);
        long tokens = client.estimateInputTokens(request(TEXT));
        emulator.close();
        client.close();
        start(b -> b.limits(new QuotaLimits(0, tokens + tokens / 2, 0)), b -> b);
        assertThat(translate(request(TEXT)).kind()).isEqualTo(Kind.SUCCESS);

        TranslationOutcome refused = translate(request(TEXT));

        assertThat(refused.kind()).isEqualTo(Kind.RETRY_AFTER);
        assertThat(refused.quotaKind()).contains(QuotaKind.INPUT_TOKENS_PER_MINUTE);
        assertThat(refused.retryDelay()).contains(Duration.ofSeconds(60));
        assertThat(emulator.stats().byQuotaId.get("GenerateContentInputTokensPerModelPerMinute-FreeTier")).isEqualTo(1);
    }

    @Test
    void requestsPerDay429WaitsForMidnightInLosAngeles() throws Exception {
        clock.set(Instant.parse("2026-12-01T07:59:30Z")); // 23:59:30 in Los Angeles (PST)
        start(b -> b.limits(new QuotaLimits(0, 0, 1)).freeTier(false), b -> b);
        assertThat(translate(request(TEXT)).kind()).isEqualTo(Kind.SUCCESS);

        TranslationOutcome refused = translate(request(TEXT));

        assertThat(refused.quotaKind()).contains(QuotaKind.REQUESTS_PER_DAY);
        assertThat(refused.retryDelay()).contains(Duration.ofSeconds(30));
        assertThat(refused.reason()).contains("GenerateRequestsPerDayPerProjectPerModel").doesNotContain("FreeTier");
        clock.advance(Duration.ofSeconds(30));
        assertThat(translate(request(TEXT)).kind()).isEqualTo(Kind.SUCCESS);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"INTERNAL", "UNAVAILABLE"})
    void serverErrorsAreRetriedWithBackoffAndNotBySdk(Fault fault) throws Exception {
        start();
        emulator.faults().next(1, fault);

        TranslationOutcome outcome = translate(request(TEXT));

        assertThat(outcome.kind()).isEqualTo(Kind.RETRY_BACKOFF);
        assertThat(outcome.httpStatus()).isEqualTo(fault == Fault.INTERNAL ? 500 : 503);
        assertThat(emulator.stats().requests).as("the SDK must not retry on its own").isEqualTo(1);
    }

    @Test
    void aCallPastTheTimeoutIsRetriedWithBackoff() throws Exception {
        start(b -> b.faultDelay(Duration.ofSeconds(30)), b -> b.requestTimeout(Duration.ofMillis(500)));

        TranslationOutcome outcome = translate(request("slow " + Fault.DELAY.marker()));

        assertThat(outcome.kind()).isEqualTo(Kind.RETRY_BACKOFF);
        assertThat(outcome.httpStatus()).isZero();
        assertThat(emulator.stats().requests).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionIsRetriedWithBackoff() throws Exception {
        start();

        TranslationOutcome outcome = translate(request("dropped " + Fault.DROP_CONNECTION.marker()));

        assertThat(outcome.kind()).isEqualTo(Kind.RETRY_BACKOFF);
        assertThat(outcome.httpStatus()).isZero();
    }

    @Test
    void anUnreachableServerIsRetriedWithBackoff() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        client = new GeminiTranslationClient(GeminiClientSettings.builder().baseUrl("http://127.0.0.1:" + port)
                .requestTimeout(Duration.ofSeconds(5)).build(), ApiKey.of(KEY), clock);

        TranslationOutcome outcome = translate(request(TEXT));

        assertThat(outcome.kind()).isEqualTo(Kind.RETRY_BACKOFF);
        assertThat(outcome.reason()).doesNotContain(KEY);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"SAFETY", "RECITATION", "PROHIBITED_CONTENT", "MAX_TOKENS"})
    void stoppedGenerationsArePermanent(Fault fault) throws Exception {
        start();

        TranslationOutcome outcome = translate(request("some text " + fault.marker()));

        assertThat(outcome.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(outcome.httpStatus()).isEqualTo(200);
        assertThat(outcome.finishReason()).contains(fault.name());
        assertThat(outcome.promptTokens()).as("billed input tokens").isPositive();
    }

    @Test
    void aBlockedPromptIsPermanent() throws Exception {
        start();
        TranslationOutcome outcome = translate(request("text " + Fault.BLOCKED_PROMPT.marker()));

        assertThat(outcome.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(outcome.reason()).isEqualTo("prompt blocked: SAFETY");
    }

    @Test
    void emptyCandidatesArePermanent() throws Exception {
        start();
        TranslationOutcome outcome = translate(request("text " + Fault.EMPTY_CANDIDATES.marker()));

        assertThat(outcome.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(outcome.reason()).isEqualTo("no candidates in the response");
    }

    @Test
    void outputBeyondTheSizedBudgetIsTruncatedAndPermanent() throws Exception {
        start(b -> b, b -> b.outputTokens(0.1, 1, 1).thinkingBudget(0));

        TranslationOutcome outcome = translate(request(TEXT));

        assertThat(outcome.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(outcome.finishReason()).contains("MAX_TOKENS");
        assertThat(outcome.reason()).isEqualTo("output truncated at maxOutputTokens=1");
    }

    @Test
    void aWrongKeyIsPermanentAndNeverEchoed() throws Exception {
        start();
        String wrongKey = "test-wrong-key-that-must-not-leak";
        client.close();
        client = new GeminiTranslationClient(GeminiClientSettings.builder().baseUrl(emulator.baseUrl()).build(),
                ApiKey.of(wrongKey), clock);

        TranslationOutcome outcome = translate(request(TEXT));

        assertThat(outcome.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(outcome.httpStatus()).isEqualTo(400);
        assertThat(outcome.reason()).contains("API key not valid").doesNotContain(wrongKey);
        assertThat(outcome.toString()).doesNotContain(wrongKey);
        assertThat(client.toString()).doesNotContain(wrongKey);
    }

    @Test
    void anUnknownModelIsPermanent() throws Exception {
        start();
        TranslationOutcome outcome = translate(new TranslationRequest("gemini-9-ultra", TEXT, "", "en", "de", null));

        assertThat(outcome.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(outcome.httpStatus()).isEqualTo(404);
        EmulatorStats stats = emulator.stats();
        assertThat(stats.count(404)).isEqualTo(1);
    }
}
