package io.paralleltranslation.operators.admit;

import io.paralleltranslation.operators.gemini.GeminiClientSettings;
import io.paralleltranslation.operators.gemini.GeminiPrompt;
import io.paralleltranslation.operators.gemini.TranslationRequest;
import io.paralleltranslation.operators.metrics.MetricNames;
import io.paralleltranslation.operators.metrics.OperatorMetrics;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.translate.QuotaLimiterFactory;
import io.paralleltranslation.ratelimit.QuotaLimiter;
import io.paralleltranslation.ratelimit.QuotaOutlook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between dedup and the translate step: holds the chunks the quota cannot take yet in keyed state
 * and lets them into the translate step in submission order, only as fast as the quota takes them.
 * Key it by the quota scope ({@link ScopeKey}), so one key orders every chunk that shares the quota;
 * after it, rebalance, so every translate subtask works on the oldest documents.
 *
 * <p>Why: without it the backlog waits inside the async translate operator. Its queue is full, the
 * operator blocks, and while the day's requests are spent it blocks until the next day with no
 * checkpoint completing; and a document's chunks spread over shards and subtasks wait there mixed
 * with every other document's, so documents finish late and out of order. Here the backlog is plain
 * keyed state (checkpointed in any state, with timers), and the async queue holds only what the
 * quota can take soon.
 *
 * <p>Order: by the document's submit time ({@link ChunkRecord#submittedAt}, else the time the gate
 * first held one of its chunks), then the time the gate first held it, then jobId, then chunk index.
 *
 * <p>Pace: the gate mirrors the limiter's sliding window ({@code window}, the limiter's minute plus
 * its margin). Each released chunk is given the earliest second at which the window has room for
 * one more request and its estimated input tokens (its <i>planned grant</i>); a chunk is released
 * at most {@link #LEAD} before its planned grant, and while fewer than {@code headroom} released
 * chunks have planned grants still in the future (the translate step's capacity x parallelism, so
 * its queues hold what the next window takes and never fill up). A small quota (RPM at most 4 x the
 * headroom, e.g. the free tier) binds for any backlog, and chunks of many documents arrive together,
 * interleaved by shard: its arrivals are held {@link #SORT_DELAY} so the oldest documents take the
 * window. With a larger quota (the paid tiers) a chunk passes on arrival when nothing older waits
 * and its planned grant is now (a small state write and the clean-up timer), so no latency is added. The day: the
 * limiter's {@link QuotaOutlook} is read in the background every {@link #OUTLOOK_REFRESH} (never
 * waited for); the requests left today, less the chunks released since the read and the ones
 * planned after it, bound what is released. When they are spent, the chunks stay here until the
 * day turns in the quota's zone (a timer), re-checked every {@link #OUTLOOK_REFRESH} in case
 * another job's count changed.
 *
 * <p>The limiter stays the guarantee: the gate never grants anything, a chunk it releases too early
 * waits for its grant in the translate step as before (and one released just before the day runs
 * out parks there until the reset). Until the first outlook read answers (at start or after a
 * restore, perhaps in a spent day) nothing is released; a limiter that cannot tell its outlook does
 * not bound the day.
 *
 * <p>State per key: the held chunks, each held document's order prefix, the planned grants of the
 * last window, and the key's one timer. When nothing is held and the last planned grant has left
 * the window, all of it is cleared, timer included.
 */
public class AdmissionGate extends KeyedProcessFunction<String, ChunkRecord, ChunkRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionGate.class);
    /** How often the day's outlook is read while the gate works, and a day-spent gate looks again. */
    public static final Duration OUTLOOK_REFRESH = Duration.ofSeconds(5);
    /**
     * How long before its planned grant a chunk is released: enough to cross the network and take
     * its place at the limiter before the window opens, short enough that the chunks arriving in the
     * meantime are sorted in before it (a chunk released early waits in the translate queue and
     * competes there with the next document's).
     */
    static final Duration LEAD = Duration.ofSeconds(5);
    /** How long a small quota's gate gathers arrivals before it releases the oldest (see {@link #smallQuota}). */
    static final Duration SORT_DELAY = Duration.ofMillis(300);
    private static final long SMALL_QUOTA_FACTOR = 4;
    /** How often a gate whose first outlook read has not answered yet looks again. */
    private static final Duration FIRST_OUTLOOK_WAIT = Duration.ofMillis(200);

    private final QuotaLimiterFactory quota;
    private final Clock clock;
    private final long requestsPerMinute;
    private final long inputTokensPerMinute;
    private final long windowSeconds;
    private final int headroom;

    /** Order key to chunk. */
    private transient MapState<String, ChunkRecord> held;
    /** jobId to the order prefix of its held chunks. */
    private transient MapState<String, String> documentOrder;
    /** Planned grants as triples (epoch second, requests, tokens), ascending by second. */
    private transient ValueState<long[]> planned;
    private transient ValueState<Long> timerAt;
    /** The held chunks' order keys, per key; rebuilt from {@link #held} after a restore. */
    private transient Map<String, TreeSet<String>> indexes;
    private transient volatile long heldChunks;
    private transient QuotaLimiter limiter;
    private transient volatile DayBudget day;
    /** The limiter cannot tell its outlook: the day does not bound the gate. */
    private transient volatile boolean noOutlook;
    private transient long outlookRequestedAt;
    /** Chunks released by this subtask in this run; the day's budget counts from it. */
    private transient long released;
    private transient GeminiClientSettings tokenSettings;

    /**
     * @param quota where the day's outlook is read from; null: the day does not bound the gate
     * @param clock the limiter's clock (its day and the outlook's reset are read on it); serializable
     * @param requestsPerMinute the quota's RPM, until an outlook says otherwise
     * @param inputTokensPerMinute the quota's input TPM, until an outlook says otherwise
     * @param window the limiter's sliding minute with its margin, whole seconds
     * @param headroom released chunks allowed ahead of their planned grants: the translate step's
     *     capacity x parallelism
     */
    public AdmissionGate(QuotaLimiterFactory quota, Clock clock, long requestsPerMinute, long inputTokensPerMinute,
            Duration window, int headroom) {
        if (requestsPerMinute < 1 || inputTokensPerMinute < 1 || headroom < 1 || window.getSeconds() < 1) {
            throw new IllegalArgumentException("requestsPerMinute, inputTokensPerMinute, window and headroom must be"
                    + " positive, got " + requestsPerMinute + ", " + inputTokensPerMinute + ", " + window + ", "
                    + headroom);
        }
        this.quota = quota;
        this.clock = clock;
        this.requestsPerMinute = requestsPerMinute;
        this.inputTokensPerMinute = inputTokensPerMinute;
        this.windowSeconds = window.getSeconds();
        this.headroom = headroom;
    }

    /** Keys every chunk by its quota scope: one key, so one order for everything that shares the quota. */
    public static final class ScopeKey implements KeySelector<ChunkRecord, String> {
        private static final long serialVersionUID = 1L;
        private final String scope;

        public ScopeKey(String scope) {
            this.scope = scope;
        }

        @Override
        public String getKey(ChunkRecord chunk) {
            return scope;
        }
    }

    @Override
    public void open(OpenContext openContext) {
        held = getRuntimeContext().getMapState(new MapStateDescriptor<>("heldChunks", Types.STRING,
                TypeInformation.of(ChunkRecord.class)));
        documentOrder = getRuntimeContext().getMapState(new MapStateDescriptor<>("documentOrder", Types.STRING,
                Types.STRING));
        planned = getRuntimeContext().getState(new ValueStateDescriptor<>("plannedGrants",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        timerAt = getRuntimeContext().getState(new ValueStateDescriptor<>("timerAt", Types.LONG));
        indexes = new HashMap<>();
        heldChunks = 0;
        released = 0;
        day = null;
        outlookRequestedAt = Long.MIN_VALUE / 2;
        tokenSettings = GeminiClientSettings.builder().build();
        limiter = quota == null ? null : quota.create();
        noOutlook = limiter == null;
        readOutlook(0);
        OperatorMetrics.group(getRuntimeContext().getMetricGroup())
                .gauge(MetricNames.ADMISSION_BACKLOG_CHUNKS, (Gauge<Long>) () -> heldChunks);
    }

    @Override
    public void close() {
        if (limiter != null) {
            limiter.close();
        }
    }

    @Override
    public void processElement(ChunkRecord chunk, Context ctx, Collector<ChunkRecord> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        TreeSet<String> index = index(ctx.getCurrentKey());
        long[] grants = prune(planned.value(), now);
        requestOutlook(now, pending(grants, now));
        long tokens = tokens(chunk);
        boolean sorts = smallQuota();
        if (!sorts && index.isEmpty() && dayLeft() > 0 && pending(grants, now) < headroom
                && grantSecond(grants, now, tokens) * 1000 <= now + LEAD.toMillis()) {
            // Nothing older waits and the quota takes it now: through at once.
            grants = add(grants, grantSecond(grants, now, tokens), tokens);
            planned.update(grants);
            released++;
            out.collect(chunk);
            arm(ctx, index, grants, now, -1);
            return;
        }
        String prefix = documentOrder.get(chunk.jobId);
        if (prefix == null) {
            prefix = orderPrefix(chunk, now);
            documentOrder.put(chunk.jobId, prefix);
        }
        String key = prefix + String.format("%010d", chunk.chunkIndex);
        held.put(key, chunk);
        index.add(key);
        if (sorts) {
            // Chunks of many documents arrive together, interleaved by shard: wait a moment so the
            // oldest documents, not the first to arrive, take the window's requests.
            heldChunks = indexes.values().stream().mapToLong(TreeSet::size).sum();
            Long current = timerAt.value();
            long at = now + SORT_DELAY.toMillis();
            if (current == null || current > at) {
                if (current != null) {
                    ctx.timerService().deleteProcessingTimeTimer(current);
                }
                ctx.timerService().registerProcessingTimeTimer(at);
                timerAt.update(at);
            }
            return;
        }
        drain(ctx, index, grants, now, out);
    }

    /**
     * A quota whose minute is at most {@link #SMALL_QUOTA_FACTOR} x the headroom binds for any real
     * backlog (the free tier's 10 RPM against 20 slots): arrivals are sorted before they go. A
     * larger one (the paid tiers) lets a chunk pass on arrival while nothing older waits.
     */
    private boolean smallQuota() {
        DayBudget d = day;
        long rpm = d == null ? requestsPerMinute : d.outlook.requestsPerMinute();
        return rpm <= SMALL_QUOTA_FACTOR * headroom;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ChunkRecord> out) throws Exception {
        Long armed = timerAt.value();
        if (armed == null || armed != timestamp) {
            return;
        }
        timerAt.clear();
        long now = ctx.timerService().currentProcessingTime();
        TreeSet<String> index = index(ctx.getCurrentKey());
        long[] grants = prune(planned.value(), now);
        requestOutlook(now, pending(grants, now));
        drain(ctx, index, grants, now, out);
    }

    /** Releases held chunks, oldest first, while the budget allows; then arms the one timer. */
    private void drain(Context ctx, TreeSet<String> index, long[] grants, long now, Collector<ChunkRecord> out)
            throws Exception {
        long wakeAt = -1;
        while (!index.isEmpty()) {
            if (dayLeft() <= 0) {
                wakeAt = dayWake(now);
                break;
            }
            if (pending(grants, now) >= headroom) {
                wakeAt = nextFutureGrant(grants, now);
                break;
            }
            String key = index.first();
            ChunkRecord chunk = held.get(key);
            if (chunk == null) {
                index.pollFirst();
                continue;
            }
            long tokens = tokens(chunk);
            long second = grantSecond(grants, now, tokens);
            if (second * 1000 > now + LEAD.toMillis()) {
                wakeAt = second * 1000 - LEAD.toMillis();
                break;
            }
            index.pollFirst();
            held.remove(key);
            grants = add(grants, second, tokens);
            released++;
            out.collect(chunk);
        }
        if (index.isEmpty()) {
            documentOrder.clear();
        }
        heldChunks = indexes.values().stream().mapToLong(TreeSet::size).sum();
        if (grants.length == 0) {
            planned.clear();
        } else {
            planned.update(grants);
        }
        arm(ctx, index, grants, now, wakeAt);
    }

    /** A spent day: the next outlook check or the day's reset, whichever is first. */
    private long dayWake(long now) {
        DayBudget d = day;
        if (d == null) {
            return now + FIRST_OUTLOOK_WAIT.toMillis();
        }
        long at = now + OUTLOOK_REFRESH.toMillis();
        long untilReset = d.outlook.dayEndsAt().toEpochMilli() - clock.millis();
        return untilReset > 0 ? Math.min(at, now + untilReset) : at;
    }

    /**
     * The key's one timer: while chunks are held, {@code wakeAt} (the head's release, a planned
     * grant that frees headroom, or the spent day's next check); with nothing held, the moment the
     * last planned grant leaves the window, to clear the state.
     */
    private void arm(Context ctx, TreeSet<String> index, long[] grants, long now, long wakeAt)
            throws Exception {
        long at;
        if (index.isEmpty()) {
            at = grants.length == 0 ? -1 : (grants[grants.length - 3] + windowSeconds) * 1000;
        } else {
            at = wakeAt > now ? wakeAt : now + OUTLOOK_REFRESH.toMillis();
        }
        Long current = timerAt.value();
        if (current != null && current == at) {
            return;
        }
        if (current != null) {
            ctx.timerService().deleteProcessingTimeTimer(current);
        }
        if (at < 0) {
            timerAt.clear();
            if (index.isEmpty() && grants.length == 0) {
                indexes.remove(ctx.getCurrentKey());
            }
        } else {
            ctx.timerService().registerProcessingTimeTimer(at);
            timerAt.update(at);
        }
    }

    private TreeSet<String> index(String key) throws Exception {
        TreeSet<String> index = indexes.get(key);
        if (index == null) {
            index = new TreeSet<>();
            for (String k : held.keys()) {
                index.add(k);
            }
            indexes.put(key, index);
            heldChunks = indexes.values().stream().mapToLong(TreeSet::size).sum();
        }
        return index;
    }

    /**
     * A document's place: its submit time in microseconds (else now), the time the gate first held
     * it (ties between documents submitted in the same instant), its jobId.
     */
    private static String orderPrefix(ChunkRecord chunk, long now) {
        long submitted = now * 1000;
        if (chunk.submittedAt != null) {
            try {
                Instant at = Instant.parse(chunk.submittedAt);
                submitted = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
            } catch (DateTimeParseException | ArithmeticException e) {
                // Unreadable: the gate's own first sight orders it.
            }
        }
        return String.format("%020d|%020d|%s|", Math.max(0, submitted), now, chunk.jobId);
    }

    /** The prompt's input tokens as the translate step first estimates them (before its learned correction). */
    private long tokens(ChunkRecord chunk) {
        try {
            return GeminiPrompt.of(new TranslationRequest(chunk.model, chunk.text, chunk.previousContext,
                    chunk.sourceLanguage, chunk.targetLanguage, chunk.glossary)).estimateInputTokens(tokenSettings);
        } catch (RuntimeException e) {
            return chunk.text == null ? 1 : chunk.text.length();
        }
    }

    /** Drops planned grants that have left the window. */
    private long[] prune(long[] grants, long now) {
        if (grants == null) {
            return new long[0];
        }
        long oldestKept = now / 1000 - windowSeconds + 1;
        int from = 0;
        while (from < grants.length && grants[from] < oldestKept) {
            from += 3;
        }
        return from == 0 ? grants : Arrays.copyOfRange(grants, from, grants.length);
    }

    /** Released chunks whose planned grant is still to come. */
    private static long pending(long[] grants, long now) {
        long nowSecond = now / 1000;
        long n = 0;
        for (int i = 0; i < grants.length; i += 3) {
            if (grants[i] > nowSecond) {
                n += grants[i + 1];
            }
        }
        return n;
    }

    private static long nextFutureGrant(long[] grants, long now) {
        long nowSecond = now / 1000;
        for (int i = 0; i < grants.length; i += 3) {
            if (grants[i] > nowSecond) {
                return grants[i] * 1000;
            }
        }
        return -1;
    }

    /** The earliest second from now whose window has room for one more request of {@code tokens}. */
    private long grantSecond(long[] grants, long now, long tokens) {
        DayBudget d = day;
        long rpm = d == null ? requestsPerMinute : d.outlook.requestsPerMinute();
        long tpm = d == null ? inputTokensPerMinute : d.outlook.inputTokensPerMinute();
        long second = now / 1000;
        while (true) {
            long requests = 0;
            long used = 0;
            long oldest = Long.MAX_VALUE;
            for (int i = 0; i < grants.length; i += 3) {
                if (grants[i] > second - windowSeconds && grants[i] <= second) {
                    requests += grants[i + 1];
                    used += grants[i + 2];
                    oldest = Math.min(oldest, grants[i]);
                }
            }
            // A request above the whole TPM can only go alone; the limiter decides what becomes of it.
            if (requests + 1 <= rpm && (used + tokens <= tpm || requests == 0)) {
                break;
            }
            second = oldest + windowSeconds;
        }
        return second;
    }

    /** The planned grants with one more request of {@code tokens} at {@code second}. */
    private static long[] add(long[] grants, long second, long tokens) {
        int at = 0;
        while (at < grants.length && grants[at] < second) {
            at += 3;
        }
        if (at < grants.length && grants[at] == second) {
            long[] copy = grants.clone();
            copy[at + 1]++;
            copy[at + 2] += tokens;
            return copy;
        }
        long[] bigger = new long[grants.length + 3];
        System.arraycopy(grants, 0, bigger, 0, at);
        bigger[at] = second;
        bigger[at + 1] = 1;
        bigger[at + 2] = tokens;
        System.arraycopy(grants, at, bigger, at + 3, grants.length - at);
        return bigger;
    }

    /**
     * Requests the gate may still release today: the outlook's requests left, less the chunks
     * planned but not granted when it was read and those released since. After the outlook's day
     * ended, a whole day's requests less those released since the read. Unbounded without an outlook.
     */
    private long dayLeft() {
        DayBudget d = day;
        if (d == null) {
            // Until the first read answers (after a restore, possibly in a spent day) nothing goes.
            return noOutlook ? Long.MAX_VALUE : 0;
        }
        long left = clock.millis() < d.outlook.dayEndsAt().toEpochMilli()
                ? d.outlook.requestsLeftToday() - d.pendingAtRead : d.outlook.requestsPerDay();
        return left - (released - d.releasedAtRead);
    }

    /** Reads the outlook in the background at most every {@link #OUTLOOK_REFRESH}; never waits for it. */
    private void requestOutlook(long now, long pendingNow) {
        if (limiter == null || now - outlookRequestedAt < OUTLOOK_REFRESH.toMillis()) {
            return;
        }
        outlookRequestedAt = now;
        readOutlook(pendingNow);
    }

    private void readOutlook(long pendingNow) {
        if (limiter == null) {
            return;
        }
        long releasedAtRead = released;
        limiter.outlook().whenComplete((o, error) -> {
            if (error != null) {
                LOG.debug("No quota outlook for the admission gate: {}", error.toString());
                noOutlook = day == null;
                return;
            }
            noOutlook = false;
            DayBudget previous = day;
            if (o.requestsLeftToday() == 0 && (previous == null || previous.outlook.requestsLeftToday() > 0
                    || !previous.outlook.dayEndsAt().equals(o.dayEndsAt()))) {
                LOG.info("The day's request quota is spent; the admission gate holds chunks until {}",
                        o.dayEndsAt());
            }
            day = new DayBudget(o, releasedAtRead, pendingNow);
        });
    }

    /** An outlook with what the gate had released and planned ahead when it was read. */
    private static final class DayBudget {
        final QuotaOutlook outlook;
        final long releasedAtRead;
        final long pendingAtRead;

        DayBudget(QuotaOutlook outlook, long releasedAtRead, long pendingAtRead) {
            this.outlook = outlook;
            this.releasedAtRead = releasedAtRead;
            this.pendingAtRead = pendingAtRead;
        }
    }
}
