package io.paralleltranslation.ratelimit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * One JVM of a multi-process race (see {@link RaceRun}): acquirers that always want more than the
 * quota, against one DynamoDB item, for a while. A denied acquirer schedules its next try at the
 * retry instant it was given; nothing sleeps. Writes every grant, every acquire's latency and the
 * limiter's counters to a file.
 *
 * <p>Arguments are {@code key=value}; see {@link RaceRun#workerArguments}. Prints {@code READY} when
 * connected, then reads the start instant (epoch millis) from stdin.
 */
public final class RaceWorker {
    private final Map<String, String> args;
    private final Clock clock;
    private final long speed;
    private final long endNanos;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "race-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final GrantLog grants = new GrantLog();
    private final List<Long> latencyMicros = new ArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private final CountDownLatch finished;

    private RaceWorker(Map<String, String> args, long base) {
        this.args = args;
        this.speed = longArg("speed");
        this.clock = new ScaledClock(base, speed);
        this.endNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                base + longArg("durationMillis") - System.currentTimeMillis());
        this.finished = new CountDownLatch((int) longArg("acquirers"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Duration attemptTimeout = Duration.ofMillis(Long.parseLong(args.get("attemptTimeoutMillis")));
        try (DynamoDbAsyncClient client = Dynalite.client(URI.create(args.get("endpoint")), attemptTimeout)) {
            DynamoDbQuotaStore store = new DynamoDbQuotaStore(client, args.get("table"));
            warmUp(store, args.get("scope"));
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            long base = Long.parseLong(in.readLine().trim());
            long wait = base - System.currentTimeMillis();
            if (wait > 0) {
                // Every worker starts at the same instant: the race is the point.
                Thread.sleep(wait);
            }
            new RaceWorker(args, base).run(store);
        }
    }

    /** Loads and connects the SDK before the start: on a busy machine that alone takes seconds. */
    private static void warmUp(DynamoDbQuotaStore store, String scope) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                store.read(scope).get(60, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the store does not answer", e);
                }
            }
        }
    }

    private void run(DynamoDbQuotaStore store) throws Exception {
        QuotaConfig config = QuotaConfig.builder(args.get("scope"))
                .requestsPerMinute(longArg("rpm")).inputTokensPerMinute(longArg("tpm"))
                .requestsPerDay(longArg("rpd")).instances((int) longArg("instances"))
                .windowMargin(Duration.ofSeconds(longArg("marginSeconds"))).build();
        LimiterCounters counters = new LimiterCounters();
        int limiterCount = (int) longArg("limiters");
        List<QuotaLimiter> limiters = new ArrayList<>();
        for (int i = 0; i < limiterCount; i++) {
            limiters.add(WindowQuotaLimiter.builder(store, config).clock(clock).listener(counters).build());
        }
        int acquirers = (int) finished.getCount();
        for (int i = 0; i < acquirers; i++) {
            next(limiters.get(i % limiterCount));
        }
        if (!finished.await(longArg("durationMillis") + 30_000, TimeUnit.MILLISECONDS)) {
            System.err.println("acquirers still busy at the end: " + finished.getCount());
            errors.incrementAndGet();
        }
        limiters.forEach(QuotaLimiter::close);
        timers.shutdownNow();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args.get("out")), StandardCharsets.UTF_8))) {
            for (long[] grant : grants.snapshot()) {
                out.println("G " + grant[0] + " " + grant[1]);
            }
            synchronized (latencyMicros) {
                for (long micros : latencyMicros) {
                    out.println("L " + micros);
                }
            }
            out.println("C " + counters.storeCalls() + " " + counters.granted() + " " + counters.conditionalFailures()
                    + " " + counters.denied() + " " + (errors.get() + counters.fallbackEntered()));
        }
    }

    private void next(QuotaLimiter limiter) {
        if (System.nanoTime() > endNanos) {
            finished.countDown();
            return;
        }
        long estimate = ThreadLocalRandom.current().nextLong(longArg("minTokens"), longArg("maxTokens") + 1);
        long started = System.nanoTime();
        limiter.acquire(estimate).whenComplete((acquisition, failure) -> {
            try {
                handle(limiter, estimate, started, acquisition, failure);
            } catch (RuntimeException e) {
                e.printStackTrace();
                errors.incrementAndGet();
                finished.countDown();
            }
        });
    }

    private void handle(QuotaLimiter limiter, long estimate, long started, Acquisition acquisition, Throwable failure) {
            synchronized (latencyMicros) {
                latencyMicros.add((System.nanoTime() - started) / 1_000);
            }
            if (failure != null || acquisition.isNeverGrantable()) {
                errors.incrementAndGet();
                timers.schedule(() -> next(limiter), 10, TimeUnit.MILLISECONDS);
            } else if (acquisition.isGranted()) {
                Grant grant = acquisition.grant().orElseThrow();
                // The true count is at most the estimate (estimates are upper bounds): refunds only.
                long actual = estimate - ThreadLocalRandom.current().nextLong(estimate / 5 + 1);
                grants.add(grant.grantedAt().toEpochMilli(), actual);
                long hold = ThreadLocalRandom.current().nextLong(longArg("holdMillis") + 1);
                timers.schedule(() -> limiter.reconcile(grant, actual).whenComplete((ignored, error) -> {
                    if (error != null) {
                        errors.incrementAndGet();
                    }
                    next(limiter);
                }), hold, TimeUnit.MILLISECONDS);
            } else {
                long waitMicros = Math.max(0,
                        (acquisition.retryAt().orElseThrow().toEpochMilli() - clock.millis()) * 1_000 / speed);
                if (System.nanoTime() + waitMicros * 1_000 > endNanos) {
                    finished.countDown();
                } else {
                    timers.schedule(() -> next(limiter), waitMicros, TimeUnit.MICROSECONDS);
                }
            }
    }

    private long longArg(String name) {
        return Long.parseLong(args.get(name));
    }

    /** Real time from {@code base} on, {@code speed} times faster: a minute of quota in a few seconds. */
    static final class ScaledClock extends Clock {
        private final long base;
        private final long speed;

        ScaledClock(long base, long speed) {
            this.base = base;
            this.speed = speed;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(base + (System.currentTimeMillis() - base) * speed);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
