package io.paralleltranslation.ratelimit;

import java.util.concurrent.CompletableFuture;

/**
 * Where the state of every quota scope lives: one item per scope, changed either by a whole-item
 * replacement, a compare-and-set on its version, or by a conditional increment of its slot
 * counters ({@link SlotIncrement}). A failed future means the store could not answer (unreachable,
 * throttled); a refused condition is a normal {@link WriteResult}.
 */
public interface QuotaStore {

    /** The scope's current state, {@link WindowState#empty()} if it has no item. */
    CompletableFuture<WindowState> read(String scope);

    /**
     * Replaces the scope's item with {@code next} (which carries version {@code expectedVersion + 1})
     * if its version is still {@code expectedVersion} (0: no item yet), in one conditional write.
     */
    CompletableFuture<WriteResult> write(String scope, long expectedVersion, WindowState next, long expiresAtEpochSecond);

    /**
     * Applies {@code increment} if its condition holds on the item as it is when the write lands, in
     * one conditional write; the result carries the item after the write (or the one that refused it).
     */
    CompletableFuture<WriteResult> increment(String scope, SlotIncrement increment);

    /**
     * Readies the write path (client classes, connections) without changing any item, so that the
     * first grant does not pay for it. Never fails; a store with nothing to warm does nothing.
     */
    default CompletableFuture<Void> warmUp(String scope) {
        return CompletableFuture.completedFuture(null);
    }

    /** The outcome of a conditional write: stored, or refused with the state that is there instead. */
    final class WriteResult {
        private final boolean written;
        private final WindowState current;
        private final int calls;

        private WriteResult(boolean written, WindowState current, int calls) {
            this.written = written;
            this.current = current;
            this.calls = calls;
        }

        public static WriteResult written(WindowState stored) {
            return new WriteResult(true, stored, 1);
        }

        /** {@code calls}: requests the store needed to learn {@code current} (2 if it had to read it). */
        public static WriteResult conflict(WindowState current, int calls) {
            return new WriteResult(false, current, calls);
        }

        public boolean isWritten() {
            return written;
        }

        /** The state now in the store: the one written (with what others added), or the one that refused it. */
        public WindowState current() {
            return current;
        }

        /** How many calls to the store this write took. */
        public int calls() {
            return calls;
        }
    }
}
