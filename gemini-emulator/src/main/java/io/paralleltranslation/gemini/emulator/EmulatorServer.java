package io.paralleltranslation.gemini.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's HTTP side on 127.0.0.1: routes {@code POST /{v1|v1beta|v1alpha}/models/{model}:{method}}
 * to {@link ModelCalls}, {@code GET /emulator/stats} to the request log, anything else to a 404;
 * sends each answer after its delay. Slow answers are completed by a scheduler rather than by a
 * sleeping thread, so many concurrent slow calls cost no threads.
 */
final class EmulatorServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorServer.class);
    private static final Pattern MODEL_PATH =
            Pattern.compile("^/(v1|v1beta|v1alpha)/models/([^/:]+):([A-Za-z]+)$");

    private final ModelCalls calls;
    private final RequestLog log;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService responder;

    EmulatorServer(int port, int workerThreads, ModelCalls calls, RequestLog log) throws IOException {
        this.calls = calls;
        this.log = log;
        this.handlers = Executors.newFixedThreadPool(workerThreads, daemonThreads("gemini-emulator-http"));
        ScheduledThreadPoolExecutor scheduler =
                new ScheduledThreadPoolExecutor(2, daemonThreads("gemini-emulator-respond"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.responder = scheduler;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
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
        if (!"POST".equals(exchange.getRequestMethod()) || !m.matches()) {
            try {
                exchange.getRequestBody().readAllBytes();
                if ("GET".equals(exchange.getRequestMethod()) && GeminiEmulator.STATS_PATH.equals(path)) {
                    send(exchange, Answer.json(200, GeminiResponses.bytes(log.stats())));
                } else {
                    send(exchange, Answer.json(404, GeminiResponses.bytes(GeminiResponses.pathNotFound(path))));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Gemini emulator failed to answer {}", path, e);
                exchange.close();
            }
            return;
        }
        log.callStarted();
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String key = exchange.getRequestHeaders().getFirst("x-goog-api-key");
            if (key == null) {
                key = queryParameter(exchange, "key");
            }
            Answer answer = calls.answer(m.group(1), m.group(2), m.group(3), key, body);
            if (answer.delayMillis <= 0) {
                deliver(exchange, answer);
            } else {
                responder.schedule(() -> deliver(exchange, answer), answer.delayMillis, TimeUnit.MILLISECONDS);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Gemini emulator failed on {}", path, e);
            deliver(exchange, Answer.json(500, GeminiResponses.emulatorError()));
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
                log.undelivered();
            }
            LOG.debug("Gemini emulator could not deliver an answer: {}", e.toString());
        } finally {
            log.callEnded();
        }
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        try {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType);
            exchange.sendResponseHeaders(answer.status, answer.body.length);
            OutputStream out = exchange.getResponseBody();
            if (answer.dropMidBody) {
                out.write(answer.body, 0, answer.body.length / 2);
                out.flush();
            } else {
                out.write(answer.body);
            }
        } finally {
            exchange.close();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
