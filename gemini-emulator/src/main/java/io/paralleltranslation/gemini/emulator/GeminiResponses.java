package io.paralleltranslation.gemini.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Gemini's response formats, as the google-genai SDK parses them: generate and countTokens bodies
 * (candidates, finish reasons, safety ratings, usage metadata) and error bodies ({@code error.code},
 * {@code status}, {@code details}: ErrorInfo, QuotaFailure, RetryInfo, Help).
 */
final class GeminiResponses {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String HELP_URL = "https://ai.google.dev/gemini-api/docs/rate-limits";

    private GeminiResponses() {}

    /** A generate answer's body and what the request log records of it. */
    static final class Generated {
        final ObjectNode body;
        /** STOP, MAX_TOKENS, BLOCKED, EMPTY or the fault's name. */
        final String outcome;
        final int outputTokens;

        Generated(ObjectNode body, String outcome, int outputTokens) {
            this.body = body;
            this.outcome = outcome;
            this.outputTokens = outputTokens;
        }
    }

    static byte[] bytes(Object body) throws JsonProcessingException {
        return JSON.writeValueAsBytes(body);
    }

    /**
     * The answer to an admitted generate request: the translation, cut at {@code maxOutputTokens},
     * or the shape {@code fault} (null: none) forces (a blocked prompt, no candidates, a finish
     * reason without text, a truncated text).
     */
    static Generated generated(Fault fault, String translation, Integer maxOutputTokens, int inputTokens,
            String model, String responseId) {
        ObjectNode response = JSON.createObjectNode();
        String outcome;
        int outputTokens = 0;
        if (fault == Fault.BLOCKED_PROMPT) {
            ObjectNode feedback = response.putObject("promptFeedback");
            feedback.put("blockReason", "SAFETY");
            safetyRatings(feedback, "HIGH");
            outcome = "BLOCKED";
        } else if (fault == Fault.EMPTY_CANDIDATES) {
            outcome = "EMPTY";
        } else if (fault == Fault.SAFETY || fault == Fault.RECITATION || fault == Fault.PROHIBITED_CONTENT) {
            ObjectNode candidate = response.putArray("candidates").addObject();
            candidate.put("finishReason", fault.name());
            candidate.put("index", 0);
            if (fault == Fault.SAFETY) {
                safetyRatings(candidate, "HIGH");
            }
            outcome = fault.name();
        } else {
            String text = translation;
            String finish = "STOP";
            if (fault == Fault.MAX_TOKENS) {
                text = prefixOfTokens(translation, Tokens.count(translation) / 2);
                finish = "MAX_TOKENS";
            } else if (maxOutputTokens != null && Tokens.count(translation) > maxOutputTokens) {
                text = prefixOfTokens(translation, maxOutputTokens);
                finish = "MAX_TOKENS";
            }
            outputTokens = Tokens.count(text);
            ObjectNode candidate = response.putArray("candidates").addObject();
            ObjectNode content = candidate.putObject("content");
            content.putArray("parts").addObject().put("text", text);
            content.put("role", "model");
            candidate.put("finishReason", finish);
            candidate.put("index", 0);
            outcome = fault == null ? finish : fault.name();
        }
        ObjectNode usage = response.putObject("usageMetadata");
        usage.put("promptTokenCount", inputTokens);
        if (outputTokens > 0) {
            usage.put("candidatesTokenCount", outputTokens);
        }
        usage.put("totalTokenCount", inputTokens + outputTokens);
        promptDetails(usage, inputTokens);
        response.put("modelVersion", model);
        response.put("responseId", responseId);
        return new Generated(response, outcome, outputTokens);
    }

    static ObjectNode countTokens(int inputTokens) {
        ObjectNode counted = JSON.createObjectNode();
        counted.put("totalTokens", inputTokens);
        promptDetails(counted, inputTokens);
        return counted;
    }

    static ObjectNode permissionDenied() {
        return error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without"
                + " established identity). Please use API Key or other form of API consumer identity"
                + " to call this API.", null);
    }

    static ObjectNode apiKeyInvalid() {
        ArrayNode details = JSON.createArrayNode();
        ObjectNode info = details.addObject();
        info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
        info.put("reason", "API_KEY_INVALID");
        info.put("domain", "googleapis.com");
        info.putObject("metadata").put("service", "generativelanguage.googleapis.com");
        ObjectNode localized = details.addObject();
        localized.put("@type", "type.googleapis.com/google.rpc.LocalizedMessage");
        localized.put("locale", "en-US");
        localized.put("message", "API key not valid. Please pass a valid API key.");
        return error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", details);
    }

    static ObjectNode modelNotFound(String model, String version, String method) {
        return error(404, "NOT_FOUND", "models/" + model + " is not found for API version " + version
                + ", or is not supported for " + method + ". Call ListModels to see the list of"
                + " available models and their supported methods.", null);
    }

    static ObjectNode pathNotFound(String path) {
        return error(404, "NOT_FOUND", "Not found: " + path, null);
    }

    static ObjectNode invalidArgument(String message) {
        return error(400, "INVALID_ARGUMENT", message, null);
    }

    static ObjectNode internal() {
        return error(500, "INTERNAL", "An internal error has occurred. Please retry or report in"
                + " https://developers.generativeai.google/guide/troubleshooting", null);
    }

    static ObjectNode unavailable() {
        return error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.", null);
    }

    /** The emulator's own failure (a bug, not an emulated Gemini error). */
    static byte[] emulatorError() {
        return "{\"error\":{\"code\":500,\"status\":\"INTERNAL\",\"message\":\"emulator error\"}}"
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Gemini's 429: the message, a Help link, the QuotaFailure violations and RetryInfo in whole seconds. */
    static ObjectNode quotaExceeded(List<QuotaViolation> violations) {
        long retryMillis = 0;
        StringBuilder message = new StringBuilder("You exceeded your current quota, please check your plan and billing"
                + " details. For more information on this error, head to: " + HELP_URL + ". To monitor your current"
                + " usage, head to: https://ai.dev/usage?tab=rate-limit. ");
        ArrayNode details = JSON.createArrayNode();
        ObjectNode help = details.addObject();
        help.put("@type", "type.googleapis.com/google.rpc.Help");
        ObjectNode link = help.putArray("links").addObject();
        link.put("description", "Learn more about Gemini API quotas");
        link.put("url", HELP_URL);
        ObjectNode failure = details.addObject();
        failure.put("@type", "type.googleapis.com/google.rpc.QuotaFailure");
        ArrayNode list = failure.putArray("violations");
        for (QuotaViolation v : violations) {
            ObjectNode violation = list.addObject();
            violation.put("quotaMetric", v.quotaMetric());
            violation.put("quotaId", v.quotaId());
            ObjectNode dimensions = violation.putObject("quotaDimensions");
            dimensions.put("location", "global");
            dimensions.put("model", v.model());
            violation.put("quotaValue", Long.toString(v.limit()));
            message.append("\n* Quota exceeded for metric: ").append(v.quotaMetric()).append(", limit: ")
                    .append(v.limit()).append(", model: ").append(v.model());
            retryMillis = Math.max(retryMillis, v.retryAfter().toMillis());
        }
        long wholeSeconds = (retryMillis + 999) / 1000;
        message.append("\nPlease retry in ").append(String.format(Locale.ROOT, "%.6f", retryMillis / 1000.0)).append("s.");
        ObjectNode retry = details.addObject();
        retry.put("@type", "type.googleapis.com/google.rpc.RetryInfo");
        retry.put("retryDelay", wholeSeconds + "s");
        return error(429, "RESOURCE_EXHAUSTED", message.toString(), details);
    }

    private static ObjectNode error(int code, String status, String message, ArrayNode details) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        if (details != null) {
            error.set("details", details);
        }
        return root;
    }

    private static String prefixOfTokens(String text, int tokens) {
        int chars = Math.min(text.codePointCount(0, text.length()), Math.max(0, tokens) * Tokens.CHARS_PER_TOKEN);
        return text.substring(0, text.offsetByCodePoints(0, chars));
    }

    private static void promptDetails(ObjectNode node, int tokens) {
        ObjectNode detail = node.putArray("promptTokensDetails").addObject();
        detail.put("modality", "TEXT");
        detail.put("tokenCount", tokens);
    }

    private static void safetyRatings(ObjectNode node, String probability) {
        ArrayNode ratings = node.putArray("safetyRatings");
        for (String category : new String[] {"HARM_CATEGORY_HATE_SPEECH", "HARM_CATEGORY_DANGEROUS_CONTENT",
                "HARM_CATEGORY_HARASSMENT", "HARM_CATEGORY_SEXUALLY_EXPLICIT"}) {
            ObjectNode rating = ratings.addObject();
            rating.put("category", category);
            rating.put("probability", "HARM_CATEGORY_DANGEROUS_CONTENT".equals(category) ? probability : "NEGLIGIBLE");
        }
    }
}
