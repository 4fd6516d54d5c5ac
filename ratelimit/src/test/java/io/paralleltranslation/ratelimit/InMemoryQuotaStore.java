package io.paralleltranslation.ratelimit;

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

    /** The {@code expiresAt} the scope's item carries, or 0 if it has none. */
    public long expiresAt(String scope) {
        Item item = items.get(scope);
        return item == null ? 0 : item.expiresAt;
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
