package io.paralleltranslation.gemini.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The fields of a generateContent / countTokens body the emulator uses; a body Gemini would refuse
 * is an {@link IllegalArgumentException} with Gemini's message.
 */
final class GeminiRequest {
    final String systemText;
    final String userText;
    final String lastUserText;
    final Integer maxOutputTokens;

    private GeminiRequest(String systemText, String userText, String lastUserText, Integer maxOutputTokens) {
        this.systemText = systemText;
        this.userText = userText;
        this.lastUserText = lastUserText;
        this.maxOutputTokens = maxOutputTokens;
    }

    int inputTokens() {
        return Tokens.count(systemText) + Tokens.count(userText);
    }

    static GeminiRequest parse(ObjectMapper json, byte[] body, boolean countTokens) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("Invalid JSON payload received. " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Invalid JSON payload received. Expected an object.");
        }
        JsonNode request = countTokens && root.has("generateContentRequest") ? root.get("generateContentRequest") : root;
        JsonNode contents = request.get("contents");
        if (contents == null || !contents.isArray() || contents.size() == 0) {
            throw new IllegalArgumentException("* GenerateContentRequest.contents: contents is not specified");
        }
        StringBuilder all = new StringBuilder();
        String last = "";
        for (JsonNode content : contents) {
            String text = partsText(content, "contents");
            all.append(text);
            last = text;
        }
        String system = request.has("systemInstruction") ? partsText(request.get("systemInstruction"),
                "systemInstruction") : "";
        JsonNode max = request.path("generationConfig").get("maxOutputTokens");
        if (max != null && !max.canConvertToInt()) {
            throw new IllegalArgumentException("Invalid value at 'generation_config.max_output_tokens'");
        }
        return new GeminiRequest(system, all.toString(), last, max == null ? null : max.intValue());
    }

    private static String partsText(JsonNode content, String field) {
        JsonNode parts = content.get("parts");
        if (!content.isObject() || parts == null || !parts.isArray() || parts.size() == 0) {
            throw new IllegalArgumentException("* GenerateContentRequest." + field
                    + ".parts: contents.parts must not be empty.");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
            JsonNode t = part.get("text");
            if (t != null && !t.isTextual()) {
                throw new IllegalArgumentException("Invalid value at '" + field + ".parts.text' (TYPE_STRING)");
            }
            text.append(t == null ? "" : t.asText());
        }
        return text.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
