package io.paralleltranslation.ratelimit;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Quota items in this JVM's memory: the in-memory twin of {@link DynamoDbQuotaStore} for tests. */
public final class InMemoryQuotaStore implements QuotaStore {
    private final ConcurrentMap<String, Item> items = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<WindowState> read(String scope) {
        Item item = items.get(scope);
        return CompletableFuture.completedFuture(item == null ? WindowState.empty() : item.state);
    }

    @Override
    public CompletableFuture<WriteResult> write(String scope, long expectedVersion, WindowState next,
            long expiresAtEpochSecond) {
        WindowState[] conflict = new WindowState[1];
        items.compute(scope, (key, old) -> {
            WindowState current = old == null ? WindowState.empty() : old.state;
            if (current.version() != expectedVersion) {
                conflict[0] = current;
                return old;
            }
            return new Item(next, expiresAtEpochSecond);
        });
        if (conflict[0] != null) {
            return CompletableFuture.completedFuture(WriteResult.conflict(conflict[0], 1));
        }
        return CompletableFuture.completedFuture(WriteResult.written(next));
    }

    @Override
    public CompletableFuture<WriteResult> increment(String scope, SlotIncrement increment) {
        WindowState[] result = new WindowState[1];
        boolean[] applied = new boolean[1];
        items.compute(scope, (key, old) -> {
            WindowState current = old == null ? WindowState.empty() : old.state;
            if (refusal(increment, current) != null) {
                result[0] = current;
                return old;
            }
            applied[0] = true;
            result[0] = applied(increment, current);
            return new Item(result[0], increment.expiresAtEpochSecond);
        });
        return CompletableFuture.completedFuture(applied[0] ? WriteResult.written(result[0])
                : WriteResult.conflict(result[0], 1));
    }

    /** The {@code expiresAt} the scope's item carries, or 0 if it has none. */
    public long expiresAt(String scope) {
        Item item = items.get(scope);
        return item == null ? 0 : item.expiresAt;
    }

    /**
     * Which part of {@code increment}'s condition (see {@link SlotIncrement}) {@code current} fails,
     * or null if none: the condition {@link DynamoDbQuotaStore} writes as an expression.
     */
    static String refusal(SlotIncrement increment, WindowState current) {
        if (current.version() == 0) {
            return increment.creates ? null : "no item";
        }
        if (current.historyVersion() != increment.historyVersion
                || (increment.creates && !Objects.equals(current.day(), increment.day))) {
            return "replaced";
        }
        Long last = current.writers().get(increment.writer);
        if (last != null && last >= increment.seq) {
            return "applied already";
        }
        NavigableMap<Long, long[]> slots = current.slots();
        for (long slot : increment.decremented) {
            if (!slots.containsKey(slot)) {
                return "slot dropped";
            }
        }
        if (!increment.adds) {
            return null;
        }
        boolean sameNewest = current.newest() == increment.fromNewest
                || (current.newest() == increment.second && current.previousNewest() == increment.fromNewest);
        if (!sameNewest) {
            return "newest slot moved";
        }
        if (increment.basisNewestCounts != null) {
            long[] counts = slots.get(increment.fromNewest);
            if (counts != null && (counts[0] > increment.basisNewestCounts[0]
                    || counts[1] > increment.basisNewestCounts[1])) {
                return "previous slot grew";
            }
        }
        long[] own = slots.get(increment.second);
        if (own != null && (own[0] > increment.capRequests || own[1] > increment.capTokens)) {
            return "window full";
        }
        return increment.capDay == Long.MAX_VALUE || current.dayRequests() <= increment.capDay ? null : "day full";
    }

    /** {@code current} with {@code increment} applied. */
    private static WindowState applied(SlotIncrement increment, WindowState current) {
        if (current.version() == 0) {
            current = WindowState.created(increment.day);
        }
        NavigableMap<Long, long[]> slots = new TreeMap<>(current.slots());
        for (Map.Entry<Long, long[]> delta : increment.deltas.entrySet()) {
            long[] old = slots.getOrDefault(delta.getKey(), new long[2]);
            slots.put(delta.getKey(), new long[] {old[0] + delta.getValue()[0], old[1] + delta.getValue()[1]});
        }
        for (long slot : increment.dropped) {
            slots.remove(slot);
        }
        long newest = increment.adds ? increment.second : current.newest();
        Map<String, Long> writers = new TreeMap<>(current.writers());
        writers.put(increment.writer, increment.seq);
        return new WindowState(current.version() + 1, current.historyVersion(), newest,
                newest != current.newest() ? current.newest() : current.previousNewest(), slots, current.day(),
                current.dayRequests() + increment.dayDelta, current.pausedUntilMillis(), writers,
                current.fallbackMergedAtMillis(), current.cutPercent(), current.cutUntilMillis());
    }

    private static final class Item {
        final WindowState state;
        final long expiresAt;

        Item(WindowState state, long expiresAt) {
            this.state = state;
            this.expiresAt = expiresAt;
        }
    }
}
