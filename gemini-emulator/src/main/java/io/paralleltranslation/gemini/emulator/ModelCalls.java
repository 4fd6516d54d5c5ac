package io.paralleltranslation.gemini.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Gemini does with one model call, in Gemini's order: the API key, the model and method, the
 * body, the quota (429), then a fault or the pseudo-translation after its latency. Every generate
 * request is logged; countTokens only counted.
 */
final class ModelCalls {
    private final String apiKey;
    private final Set<String> knownModels;
    private final Clock clock;
    private final boolean logTexts;
    private final QuotaTracker quotas;
    private final FaultsAndLatency faults;
    private final RequestLog log;
    private final AtomicLong responseIds = new AtomicLong();

    /** @param apiKey the only key accepted; null accepts any non-empty key */
    ModelCalls(String apiKey, Set<String> knownModels, Clock clock, boolean logTexts, QuotaTracker quotas,
            FaultsAndLatency faults, RequestLog log) {
        this.apiKey = apiKey;
        this.knownModels = knownModels;
        this.clock = clock;
        this.logTexts = logTexts;
        this.quotas = quotas;
        this.faults = faults;
        this.log = log;
    }

    /**
     * The answer to {@code POST /{version}/models/{model}:{method}}.
     *
     * @param key the {@code x-goog-api-key} header or the {@code key} parameter; null if neither
     */
    Answer answer(String version, String model, String method, String key, byte[] body)
            throws JsonProcessingException {
        boolean stream = "streamGenerateContent".equals(method);
        boolean generate = stream || "generateContent".equals(method);
        long nowMillis = clock.millis();
        if (key == null || key.isEmpty()) {
            return logged(nowMillis, model, method, generate, 403, "PERMISSION_DENIED", null,
                    GeminiResponses.permissionDenied());
        }
        if (apiKey != null && !apiKey.equals(key)) {
            return logged(nowMillis, model, method, generate, 400, "API_KEY_INVALID", null,
                    GeminiResponses.apiKeyInvalid());
        }
        if (!knownModels.contains(model) || !(generate || "countTokens".equals(method))) {
            return logged(nowMillis, model, method, generate, 404, "NOT_FOUND", null,
                    GeminiResponses.modelNotFound(model, version, method));
        }
        GeminiRequest request;
        try {
            request = GeminiRequest.parse(GeminiResponses.JSON, body, !generate);
        } catch (IllegalArgumentException e) {
            return logged(nowMillis, model, method, generate, 400, "INVALID_ARGUMENT", null,
                    GeminiResponses.invalidArgument(e.getMessage()));
        }
        int inputTokens = request.inputTokens();
        if (!generate) {
            log.countTokensRequest();
            return Answer.json(200, GeminiResponses.bytes(GeminiResponses.countTokens(inputTokens)));
        }
        PromptParts parts = PromptParts.parse(request.lastUserText);
        List<QuotaViolation> violations = quotas.tryAcquire(model, inputTokens, Instant.ofEpochMilli(nowMillis));
        if (!violations.isEmpty()) {
            StringBuilder ids = new StringBuilder();
            for (QuotaViolation v : violations) {
                log.quotaExceeded(v.quotaId());
                ids.append(ids.length() == 0 ? "" : ",").append(v.quotaId());
            }
            return logged(nowMillis, model, method, true, 429, ids.toString(), parts,
                    GeminiResponses.quotaExceeded(violations), inputTokens, false);
        }
        return admitted(nowMillis, model, method, stream, request, parts, inputTokens);
    }

    private Answer admitted(long nowMillis, String model, String method, boolean stream, GeminiRequest request,
            PromptParts parts, int inputTokens) throws JsonProcessingException {
        Fault fault = faults.pick(parts.text());
        String translation = PseudoTranslator.pseudoTranslate(parts.text(), parts.targetLanguage());
        if (fault == Fault.INTERNAL) {
            return logged(nowMillis, model, method, true, 500, fault.name(), parts, GeminiResponses.internal(),
                    inputTokens, true);
        }
        if (fault == Fault.UNAVAILABLE) {
            return logged(nowMillis, model, method, true, 503, fault.name(), parts, GeminiResponses.unavailable(),
                    inputTokens, true);
        }
        GeminiResponses.Generated generated = GeminiResponses.generated(fault, translation, request.maxOutputTokens,
                inputTokens, model, "emulator-" + responseIds.incrementAndGet());
        byte[] bytes = GeminiResponses.bytes(generated.body);
        Answer answer = fault == Fault.DROP_CONNECTION ? Answer.droppedMidBody(bytes)
                : stream ? Answer.sse(bytes) : Answer.json(200, bytes);
        long delay = faults.delayMillis(fault, generated.outputTokens);
        log.record(new RequestLogEntry(nowMillis, model, method, fault == Fault.DROP_CONNECTION ? 0 : 200,
                generated.outcome, true, inputTokens, generated.outputTokens, parts, logTexts, delay));
        return answer.after(delay);
    }

    private Answer logged(long nowMillis, String model, String method, boolean generate, int status, String outcome,
            PromptParts parts, ObjectNode body) throws JsonProcessingException {
        return logged(nowMillis, model, method, generate, status, outcome, parts, body, 0, false);
    }

    private Answer logged(long nowMillis, String model, String method, boolean generate, int status, String outcome,
            PromptParts parts, ObjectNode body, int inputTokens, boolean admitted) throws JsonProcessingException {
        if (generate) {
            log.record(new RequestLogEntry(nowMillis, model, method, status, outcome, admitted, inputTokens, 0,
                    parts, logTexts, 0));
        }
        return Answer.json(status, GeminiResponses.bytes(body));
    }
}
