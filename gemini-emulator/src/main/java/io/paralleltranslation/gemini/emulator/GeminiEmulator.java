package io.paralleltranslation.gemini.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An emulator of the Gemini Developer REST API on 127.0.0.1 that the unmodified google-genai SDK
 * talks to: {@code POST /{v1|v1beta}/models/{model}:generateContent}, {@code :streamGenerateContent}
 * (SSE, one event) and {@code :countTokens}; API-key checks, per-model RPM / input-TPM / RPD quotas
 * answered with Gemini's 429 body, a latency model, injected faults, and {@code GET /emulator/stats}.
 *
 * <p>Slow answers are completed by a scheduler rather than by a sleeping thread, so many concurrent
 * slow calls cost no threads.
 */
public final class GeminiEmulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GeminiEmulator.class);

    public static final List<String> DEFAULT_MODELS = Collections.unmodifiableList(Arrays.asList(
            "gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite", "gemini-2.0-flash",
            "gemini-2.0-flash-lite"));
    public static final String STATS_PATH = "/emulator/stats";

    private static final Pattern MODEL_PATH =
            Pattern.compile("^/(v1|v1beta|v1alpha)/models/([^/:]+):([A-Za-z]+)$");
    private static final String JSON_TYPE = "application/json; charset=UTF-8";
    private static final String HELP_URL = "https://ai.google.dev/gemini-api/docs/rate-limits";

    private final Builder config;
    private final ObjectMapper json = new ObjectMapper();
    private final QuotaTracker quotas;
    private final FaultPlan faults;
    private final Random latencyRandom;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService responder;

    private final List<RequestLogEntry> log = new ArrayList<>();
    private final Map<String, Integer> quotaIdCounts = new HashMap<>();
    private int countTokensRequests;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    /** Model calls answered (and counted as paid) whose answer could not be written: the client was gone. */
    private final AtomicInteger undelivered = new AtomicInteger();
    private final AtomicLong responseIds = new AtomicLong();

    private GeminiEmulator(Builder config) throws IOException {
        this.config = config;
        this.quotas = new QuotaTracker(config.limits, config.limitsByModel, config.freeTier);
        this.faults = config.faults;
        this.latencyRandom = new Random(config.latencySeed);
        this.handlers = Executors.newFixedThreadPool(config.workerThreads, daemonThreads("gemini-emulator-http"));
        ScheduledThreadPoolExecutor scheduler =
                new ScheduledThreadPoolExecutor(2, daemonThreads("gemini-emulator-respond"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.responder = scheduler;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port), 512);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("Gemini emulator listening on {} (limits {}, latency {})", baseUrl(), config.limits, config.latency);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** For example {@code http://127.0.0.1:41234}; give it to {@code HttpOptions.baseUrl}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The live fault plan: tests may script faults while the emulator runs. */
    public FaultPlan faults() {
        return faults;
    }

    public EmulatorStats stats() {
        synchronized (log) {
            return new EmulatorStats(log, countTokensRequests, quotaIdCounts, maxConcurrent.get(), undelivered.get());
        }
    }

    /** Stops at once; answers still waiting for their latency are dropped. */
    @Override
    public void close() {
        server.stop(0);
        responder.shutdownNow();
        handlers.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        Matcher m = MODEL_PATH.matcher(path);
        boolean modelCall = "POST".equals(exchange.getRequestMethod()) && m.matches();
        if (!modelCall) {
            try {
                exchange.getRequestBody().readAllBytes();
                if ("GET".equals(exchange.getRequestMethod()) && STATS_PATH.equals(path)) {
                    send(exchange, Answer.json(200, json.writeValueAsBytes(stats())));
                } else {
                    send(exchange, Answer.json(404, json.writeValueAsBytes(
                            errorBody(404, "NOT_FOUND", "Not found: " + path, null))));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Gemini emulator failed to answer {}", path, e);
                exchange.close();
            }
            return;
        }
        maxConcurrent.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            Scheduled answer = modelCall(exchange, m.group(1), m.group(2), m.group(3));
            if (answer.delayMillis <= 0) {
                deliver(exchange, answer.answer);
            } else {
                responder.schedule(() -> deliver(exchange, answer.answer), answer.delayMillis, TimeUnit.MILLISECONDS);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Gemini emulator failed on {}", path, e);
            deliver(exchange, Answer.json(500, ("{\"error\":{\"code\":500,\"status\":\"INTERNAL\",\"message\":"
                    + "\"emulator error\"}}").getBytes(StandardCharsets.UTF_8)));
        }
    }

    private Scheduled modelCall(HttpExchange exchange, String version, String model, String method)
            throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String key = exchange.getRequestHeaders().getFirst("x-goog-api-key");
        if (key == null) {
            key = queryParameter(exchange, "key");
        }
        boolean stream = "streamGenerateContent".equals(method);
        boolean generate = stream || "generateContent".equals(method);
        long nowMillis = config.clock.millis();
        if (key == null || key.isEmpty()) {
            return immediate(logged(nowMillis, model, method, generate, 403, "PERMISSION_DENIED", null,
                    errorBody(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without"
                            + " established identity). Please use API Key or other form of API consumer identity"
                            + " to call this API.", null)));
        }
        if (config.apiKey != null && !config.apiKey.equals(key)) {
            ArrayNode details = json.createArrayNode();
            ObjectNode info = details.addObject();
            info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            info.put("reason", "API_KEY_INVALID");
            info.put("domain", "googleapis.com");
            info.putObject("metadata").put("service", "generativelanguage.googleapis.com");
            ObjectNode localized = details.addObject();
            localized.put("@type", "type.googleapis.com/google.rpc.LocalizedMessage");
            localized.put("locale", "en-US");
            localized.put("message", "API key not valid. Please pass a valid API key.");
            return immediate(logged(nowMillis, model, method, generate, 400, "API_KEY_INVALID", null,
                    errorBody(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", details)));
        }
        if (!config.knownModels.contains(model) || !(generate || "countTokens".equals(method))) {
            return immediate(logged(nowMillis, model, method, generate, 404, "NOT_FOUND", null,
                    errorBody(404, "NOT_FOUND", "models/" + model + " is not found for API version " + version
                            + ", or is not supported for " + method + ". Call ListModels to see the list of"
                            + " available models and their supported methods.", null)));
        }
        Request request;
        try {
            request = Request.parse(json, body, !generate);
        } catch (IllegalArgumentException e) {
            return immediate(logged(nowMillis, model, method, generate, 400, "INVALID_ARGUMENT", null,
                    errorBody(400, "INVALID_ARGUMENT", e.getMessage(), null)));
        }
        int inputTokens = Tokens.count(request.systemText) + Tokens.count(request.userText);
        if (!generate) {
            synchronized (log) {
                countTokensRequests++;
            }
            ObjectNode counted = json.createObjectNode();
            counted.put("totalTokens", inputTokens);
            promptDetails(counted, inputTokens);
            return immediate(Answer.json(200, json.writeValueAsBytes(counted)));
        }
        PromptParts parts = PromptParts.parse(request.lastUserText);
        List<QuotaViolation> violations = quotas.tryAcquire(model, inputTokens, Instant.ofEpochMilli(nowMillis));
        if (!violations.isEmpty()) {
            StringBuilder ids = new StringBuilder();
            synchronized (log) {
                for (QuotaViolation v : violations) {
                    quotaIdCounts.merge(v.quotaId(), 1, Integer::sum);
                    ids.append(ids.length() == 0 ? "" : ",").append(v.quotaId());
                }
            }
            return immediate(logged(nowMillis, model, method, true, 429, ids.toString(), parts,
                    quotaBody(violations), inputTokens, false, 0));
        }
        return admitted(nowMillis, model, method, stream, request, parts, inputTokens);
    }

    private Scheduled admitted(long nowMillis, String model, String method, boolean stream, Request request,
            PromptParts parts, int inputTokens) throws JsonProcessingException {
        Fault fault = faults.pick(parts.text());
        String translation = PseudoTranslator.pseudoTranslate(parts.text(), parts.targetLanguage());
        if (fault == Fault.INTERNAL) {
            return immediate(logged(nowMillis, model, method, true, 500, fault.name(), parts,
                    errorBody(500, "INTERNAL", "An internal error has occurred. Please retry or report in"
                            + " https://developers.generativeai.google/guide/troubleshooting", null),
                    inputTokens, true, 0));
        }
        if (fault == Fault.UNAVAILABLE) {
            return immediate(logged(nowMillis, model, method, true, 503, fault.name(), parts,
                    errorBody(503, "UNAVAILABLE", "The model is overloaded. Please try again later.", null),
                    inputTokens, true, 0));
        }
        ObjectNode response = json.createObjectNode();
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
            Integer maxOutput = request.maxOutputTokens;
            if (fault == Fault.MAX_TOKENS) {
                text = prefixOfTokens(translation, Tokens.count(translation) / 2);
                finish = "MAX_TOKENS";
            } else if (maxOutput != null && Tokens.count(translation) > maxOutput) {
                text = prefixOfTokens(translation, maxOutput);
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
        response.put("responseId", "emulator-" + responseIds.incrementAndGet());

        byte[] bytes = json.writeValueAsBytes(response);
        Answer answer = stream
                ? new Answer(200, "text/event-stream",
                        ("data: " + new String(bytes, StandardCharsets.UTF_8) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8),
                        false)
                : Answer.json(200, bytes);
        long delay;
        if (fault == Fault.DROP_CONNECTION) {
            answer = new Answer(200, JSON_TYPE, bytes, true);
            delay = 0;
        } else if (fault == Fault.DELAY) {
            delay = config.faultDelay.toMillis();
        } else if (fault == Fault.SLOW) {
            delay = config.slowDelay.toMillis();
        } else {
            synchronized (latencyRandom) {
                delay = config.latency.delayMillis(outputTokens, latencyRandom);
            }
        }
        record(new RequestLogEntry(nowMillis, model, method, fault == Fault.DROP_CONNECTION ? 0 : 200, outcome, true,
                inputTokens, outputTokens, parts, config.logTexts, delay));
        return new Scheduled(answer, delay);
    }

    private static String prefixOfTokens(String text, int tokens) {
        int chars = Math.min(text.codePointCount(0, text.length()), Math.max(0, tokens) * Tokens.CHARS_PER_TOKEN);
        return text.substring(0, text.offsetByCodePoints(0, chars));
    }

    private Answer logged(long nowMillis, String model, String method, boolean generate, int status, String outcome,
            PromptParts parts, ObjectNode body) throws JsonProcessingException {
        return logged(nowMillis, model, method, generate, status, outcome, parts, body, 0, false, 0);
    }

    private Answer logged(long nowMillis, String model, String method, boolean generate, int status, String outcome,
            PromptParts parts, ObjectNode body, int inputTokens, boolean admitted, int outputTokens)
            throws JsonProcessingException {
        if (generate) {
            record(new RequestLogEntry(nowMillis, model, method, status, outcome, admitted, inputTokens, outputTokens,
                    parts, config.logTexts, 0));
        }
        return Answer.json(status, json.writeValueAsBytes(body));
    }

    private void record(RequestLogEntry entry) {
        LOG.debug("Gemini emulator answered {}", entry);
        synchronized (log) {
            log.add(entry);
        }
    }

    private ObjectNode quotaBody(List<QuotaViolation> violations) {
        long retryMillis = 0;
        StringBuilder message = new StringBuilder("You exceeded your current quota, please check your plan and billing"
                + " details. For more information on this error, head to: " + HELP_URL + ". To monitor your current"
                + " usage, head to: https://ai.dev/usage?tab=rate-limit. ");
        ArrayNode details = json.createArrayNode();
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
        return errorBody(429, "RESOURCE_EXHAUSTED", message.toString(), details);
    }

    private ObjectNode errorBody(int code, String status, String message, ArrayNode details) {
        ObjectNode root = json.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        if (details != null) {
            error.set("details", details);
        }
        return root;
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

    private static String queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void deliver(HttpExchange exchange, Answer answer) {
        try {
            send(exchange, answer);
        } catch (IOException e) {
            // The client gave up first (its timeout, or its process died): the call was paid, its answer lost.
            if (!answer.dropMidBody) {
                undelivered.incrementAndGet();
            }
            LOG.debug("Gemini emulator could not deliver an answer: {}", e.toString());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        try {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType);
            if (answer.dropMidBody) {
                // Promise the whole body, send half, close: the client sees the connection end early.
                exchange.sendResponseHeaders(answer.status, answer.body.length);
                OutputStream out = exchange.getResponseBody();
                out.write(answer.body, 0, answer.body.length / 2);
                out.flush();
            } else {
                exchange.sendResponseHeaders(answer.status, answer.body.length);
                exchange.getResponseBody().write(answer.body);
            }
        } finally {
            exchange.close();
        }
    }

    private static Scheduled immediate(Answer answer) {
        return new Scheduled(answer, 0);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static final class Answer {
        final int status;
        final String contentType;
        final byte[] body;
        final boolean dropMidBody;

        Answer(int status, String contentType, byte[] body, boolean dropMidBody) {
            this.status = status;
            this.contentType = contentType;
            this.body = body;
            this.dropMidBody = dropMidBody;
        }

        static Answer json(int status, byte[] body) {
            return new Answer(status, JSON_TYPE, body, false);
        }
    }

    private static final class Scheduled {
        final Answer answer;
        final long delayMillis;

        Scheduled(Answer answer, long delayMillis) {
            this.answer = answer;
            this.delayMillis = delayMillis;
        }
    }

    /** The fields of a generateContent / countTokens body the emulator uses. */
    private static final class Request {
        final String systemText;
        final String userText;
        final String lastUserText;
        final Integer maxOutputTokens;

        private Request(String systemText, String userText, String lastUserText, Integer maxOutputTokens) {
            this.systemText = systemText;
            this.userText = userText;
            this.lastUserText = lastUserText;
            this.maxOutputTokens = maxOutputTokens;
        }

        static Request parse(ObjectMapper json, byte[] body, boolean countTokens) {
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
            return new Request(system, all.toString(), last, max == null ? null : max.intValue());
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

    /** Settings of an emulator; {@link #start()} binds it to 127.0.0.1. */
    public static final class Builder {
        private int port;
        private String apiKey;
        private Clock clock = Clock.systemUTC();
        private QuotaLimits limits = QuotaLimits.UNLIMITED;
        private final Map<String, QuotaLimits> limitsByModel = new HashMap<>();
        private boolean freeTier = true;
        private LatencyModel latency = LatencyModel.NONE;
        private long latencySeed = 1;
        private Duration faultDelay = Duration.ofMinutes(5);
        private Duration slowDelay = Duration.ofSeconds(20);
        private FaultPlan faults = new FaultPlan(1);
        private Set<String> knownModels = new LinkedHashSet<>(DEFAULT_MODELS);
        private int workerThreads = 4;
        private boolean logTexts = true;

        private Builder() {}

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The only key accepted; null (the default) accepts any non-empty key. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Drives quota windows, the LA-midnight day reset and log times (latency uses real time). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Limits of every model without its own. */
        public Builder limits(QuotaLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        public Builder limits(String model, QuotaLimits limits) {
            this.limitsByModel.put(model, Objects.requireNonNull(limits));
            return this;
        }

        /** Free tier quota ids end in {@code -FreeTier} (the default); paid tier ids do not. */
        public Builder freeTier(boolean freeTier) {
            this.freeTier = freeTier;
            return this;
        }

        public Builder latency(LatencyModel latency) {
            this.latency = Objects.requireNonNull(latency);
            return this;
        }

        public Builder latencySeed(long seed) {
            this.latencySeed = seed;
            return this;
        }

        /** How long a {@link Fault#DELAY} answer waits; default 5 minutes. */
        public Builder faultDelay(Duration delay) {
            this.faultDelay = Objects.requireNonNull(delay);
            return this;
        }

        /** How long a {@link Fault#SLOW} answer waits; default 20 seconds. */
        public Builder slowDelay(Duration delay) {
            this.slowDelay = Objects.requireNonNull(delay);
            return this;
        }

        public Builder faults(FaultPlan faults) {
            this.faults = Objects.requireNonNull(faults);
            return this;
        }

        public Builder knownModels(Collection<String> models) {
            this.knownModels = new LinkedHashSet<>(models);
            return this;
        }

        /** Threads that read requests; answers never hold them while waiting out latency. */
        public Builder workerThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("workerThreads must be >= 1");
            }
            this.workerThreads = threads;
            return this;
        }

        /** False keeps only the SHA-256 of each request's text and context in the log (saves memory). */
        public Builder logTexts(boolean logTexts) {
            this.logTexts = logTexts;
            return this;
        }

        public GeminiEmulator start() throws IOException {
            return new GeminiEmulator(this);
        }
    }
}
