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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
    private final ScaledClock clock;
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

    private final MeteredStore metered;
    private final List<String> trace = new ArrayList<>();
    private final long base;

    private RaceWorker(Map<String, String> args, long base, ScaledClock clock, MeteredStore metered) {
        this.args = args;
        this.speed = longArg("speed");
        this.clock = clock;
        this.metered = metered;
        this.base = base;
        clock.start(base);
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
            DynamoDbQuotaStore dynamo = new DynamoDbQuotaStore(client, args.get("table"));
            warmUp(dynamo, args.get("scope"));
            ScaledClock clock = new ScaledClock(Long.parseLong(args.get("speed")));
            MeteredStore store = new MeteredStore(dynamo, clock);
            // Built before the start, as a Flink operator builds its limiter in open().
            QuotaConfig config = QuotaConfig.builder(args.get("scope"))
                    .requestsPerMinute(Long.parseLong(args.get("rpm")))
                    .inputTokensPerMinute(Long.parseLong(args.get("tpm")))
                    .requestsPerDay(Long.parseLong(args.get("rpd")))
                    .instances(Integer.parseInt(args.get("instances")))
                    .windowMargin(Duration.ofSeconds(Long.parseLong(args.get("marginSeconds"))))
                    .acknowledgeZeroMargin(true)
                    // As an operator declares its capacity: the acquirers each limiter serves.
                    .expectedBurst(Math.max(1, Integer.parseInt(args.get("acquirers"))
                            / Integer.parseInt(args.get("limiters"))))
                    .build();
            LimiterCounters counters = new LimiterCounters();
            List<QuotaLimiter> limiters = new ArrayList<>();
            for (int i = 0; i < Integer.parseInt(args.get("limiters")); i++) {
                WindowQuotaLimiter limiter = WindowQuotaLimiter.builder(store, config).clock(clock).listener(counters).build();
                // Read and warmed before the start, as an operator's open() can wait for it: the race
                // is between limiters, not between a limiter's first acquires and its own start-up.
                limiter.primed().get(60, TimeUnit.SECONDS);
                limiters.add(limiter);
            }
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            long base = Long.parseLong(in.readLine().trim());
            long wait = base - System.currentTimeMillis();
            if (wait > 0) {
                // Every worker starts at the same instant: the race is the point.
                Thread.sleep(wait);
            }
            new RaceWorker(args, base, clock, store).run(limiters, counters);
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

    private void run(List<QuotaLimiter> limiters, LimiterCounters counters) throws Exception {
        int limiterCount = limiters.size();
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
            synchronized (latencyMicros) {
                List<String> all = new ArrayList<>(trace);
                synchronized (metered.calls) {
                    for (String c : metered.calls) {
                        String[] f = c.split(" ", 3);
                        all.add(f[0] + " " + (Long.parseLong(f[1]) - base) + " " + f[2]);
                    }
                }
                Files.write(Paths.get(args.get("out") + ".trace"), all, StandardCharsets.UTF_8);
            }
            for (long[] write : metered.writes()) {
                out.println("W " + write[0] + " " + write[1]);
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
            long latency = (System.nanoTime() - started) / 1_000;
            synchronized (latencyMicros) {
                latencyMicros.add(latency);
                trace.add("A " + (clock.millis() - base) + " " + latency + " "
                        + (failure != null ? "E" : acquisition.isGranted() ? "G" : "D"));
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
                // As the operator does: the next acquire does not wait for the refund to be written.
                timers.schedule(() -> {
                    limiter.reconcile(grant, actual).whenComplete((ignored, error) -> {
                        if (error != null) {
                            errors.incrementAndGet();
                        }
                    });
                    next(limiter);
                }, hold, TimeUnit.MILLISECONDS);
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

    /**
     * Real time from {@code base} on, {@code speed} times faster: a minute of quota in a few seconds.
     * Real time until started.
     */
    static final class ScaledClock extends Clock {
        private final long speed;
        private volatile long base = Long.MIN_VALUE;

        ScaledClock(long speed) {
            this.speed = speed;
        }

        void start(long baseMillis) {
            this.base = baseMillis;
        }

        @Override
        public Instant instant() {
            long b = base;
            long now = System.currentTimeMillis();
            return Instant.ofEpochMilli(b == Long.MIN_VALUE ? now : b + (now - b) * speed);
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

    /** Records every write's instant (in the race's clock) and the WCU DynamoDB would bill it. */
    static final class MeteredStore implements QuotaStore {
        private final QuotaStore delegate;
        private final Clock clock;
        private final List<long[]> writes = new ArrayList<>();

        MeteredStore(QuotaStore delegate, Clock clock) {
            this.delegate = delegate;
            this.clock = clock;
        }

        @Override
        public java.util.concurrent.CompletableFuture<WindowState> read(String scope) {
            long started = clock.millis();
            return delegate.read(scope).whenComplete((r, f) -> {
                synchronized (calls) {
                    calls.add("R " + started + " " + (clock.millis() - started) + " " + Thread.currentThread().getName());
                }
            });
        }

        final List<String> calls = new ArrayList<>();

        @Override
        public java.util.concurrent.CompletableFuture<Void> warmUp(String scope) {
            // A tiny item of its own (see DynamoDbQuotaStore.warmUp): billed 1 WCU.
            synchronized (writes) {
                writes.add(new long[] {clock.millis(), 1});
            }
            return delegate.warmUp(scope);
        }

        @Override
        public java.util.concurrent.CompletableFuture<WriteResult> write(String scope, long expectedVersion,
                WindowState next, long expiresAtEpochSecond) {
            // A write refused by its condition is billed too.
            long wcu = (itemSizeBytes(scope, next, expiresAtEpochSecond) + 1023) / 1024;
            synchronized (writes) {
                writes.add(new long[] {clock.millis(), wcu});
            }
            long started = clock.millis();
            return delegate.write(scope, expectedVersion, next, expiresAtEpochSecond).whenComplete((r, f) -> {
                synchronized (calls) {
                    calls.add("W " + started + " " + (clock.millis() - started) + " "
                            + (f != null ? "fail" : r.isWritten() ? "ok" : "conflict" + r.calls()) + " v" + expectedVersion
                            + " slots=" + next.slots().size());
                }
            });
        }

        @Override
        public java.util.concurrent.CompletableFuture<WriteResult> increment(String scope, SlotIncrement increment) {
            // Billed at the larger of the item before and after: about the size of the state last seen.
            long wcu = (itemSizeBytes(scope, lastSeen, increment.expiresAtEpochSecond) + 1023) / 1024;
            synchronized (writes) {
                writes.add(new long[] {clock.millis(), wcu});
            }
            long started = clock.millis();
            return delegate.increment(scope, increment).whenComplete((r, f) -> {
                if (r != null) {
                    lastSeen = r.current();
                }
                synchronized (calls) {
                    calls.add("I " + started + " " + (clock.millis() - started) + " "
                            + (f != null ? "fail" : r.isWritten() ? "ok" : "conflict" + r.calls() + "("
                                    + InMemoryQuotaStore.refusal(increment, r.current()) + ")") + " s"
                            + increment.second + " from " + increment.fromNewest + " slots=" + increment.deltas.size());
                }
            });
        }

        /** The item as the last increment answered it (its size is what the next one is billed at). */
        private volatile WindowState lastSeen = WindowState.empty();

        List<long[]> writes() {
            synchronized (writes) {
                return new ArrayList<>(writes);
            }
        }
    }

    /**
     * The size DynamoDB bills a write of this item at (attribute names and values, numbers at about
     * half a byte a digit): one WCU per started KB.
     */
    static int itemSizeBytes(String scope, WindowState state, long expiresAtEpochSecond) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> attribute
                : DynamoDbQuotaStore.encode(scope, state, expiresAtEpochSecond).entrySet()) {
            AttributeValue value = attribute.getValue();
            size += attribute.getKey().length() + (value.s() != null ? value.s().length() : numberBytes(Long.parseLong(value.n())));
        }
        return size;
    }

    private static int numberBytes(long value) {
        return (Long.toString(Math.abs(value)).length() + 1) / 2 + 1;
    }
}
