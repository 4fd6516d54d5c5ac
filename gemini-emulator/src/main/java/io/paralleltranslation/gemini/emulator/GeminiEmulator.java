package io.paralleltranslation.gemini.emulator;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An emulator of the Gemini Developer REST API on 127.0.0.1 that the unmodified google-genai SDK
 * talks to: {@code POST /{v1|v1beta}/models/{model}:generateContent}, {@code :streamGenerateContent}
 * (SSE, one event) and {@code :countTokens}; API-key checks, per-model RPM / input-TPM / RPD quotas
 * answered with Gemini's 429 body, a latency model, injected faults, and {@code GET /emulator/stats}.
 *
 * <p>Its parts, one concern each: {@link EmulatorServer} (HTTP routing and delayed answers),
 * {@link ModelCalls} (what Gemini does with a call, in its order), {@link GeminiRequest} and
 * {@link GeminiResponses} (Gemini's request and response formats), {@link FaultsAndLatency},
 * {@link QuotaTracker} and {@link RequestLog} (what {@link #stats()} reports).
 */
public final class GeminiEmulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GeminiEmulator.class);

    public static final List<String> DEFAULT_MODELS = Collections.unmodifiableList(Arrays.asList(
            "gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite", "gemini-2.0-flash",
            "gemini-2.0-flash-lite"));
    public static final String STATS_PATH = "/emulator/stats";

    private final FaultsAndLatency faults;
    private final RequestLog log = new RequestLog();
    private final EmulatorServer server;

    private GeminiEmulator(Builder config) throws IOException {
        this.faults = new FaultsAndLatency(config.faults, config.latency, config.latencySeed, config.faultDelay,
                config.slowDelay);
        ModelCalls calls = new ModelCalls(config.apiKey, config.knownModels, config.clock, config.logTexts,
                new QuotaTracker(config.limits, config.limitsByModel, config.freeTier), faults, log);
        this.server = new EmulatorServer(config.port, config.workerThreads, calls, log);
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
        return server.port();
    }

    /** The live fault plan: tests may script faults while the emulator runs. */
    public FaultPlan faults() {
        return faults.plan();
    }

    public EmulatorStats stats() {
        return log.stats();
    }

    /** Stops at once; answers still waiting for their latency are dropped. */
    @Override
    public void close() {
        server.close();
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
