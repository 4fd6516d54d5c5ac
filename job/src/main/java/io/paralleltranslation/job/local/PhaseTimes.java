package io.paralleltranslation.job.local;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * When a run's work passed each stage on its way through the pipeline (epoch millis of this
 * machine's clock; absent when unknown), so a benchmark can say where the time between the first
 * put and the committed output goes. Over several documents a phase is the first (first put,
 * first chunk, first request) or the last (the others) to happen. The local run prints it as a
 * table and as one {@link #line()} that {@code bench/compare.sh} completes with the emulator's
 * request log (an external emulator is not seen by the local run).
 */
public final class PhaseTimes {
    /** The stages in pipeline order. */
    public enum Phase {
        FIRST_PUT("first put (submit tool)"),
        LAST_PUT("last PutRecords returned"),
        FIRST_CHUNK("first chunk at translate"),
        FIRST_REQUEST("first request at Gemini"),
        LAST_ANSWER("last answer from Gemini"),
        EMITTED("document emitted (reassembly)"),
        COMMITTED("committed (checkpoint, 2PC)"),
        VISIBLE("visible to the reader");

        final String label;

        Phase(String label) {
            this.label = label;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String LINE_PREFIX = "PHASES";

    private final Map<Phase, Long> at = new EnumMap<>(Phase.class);

    /**
     * A local run's phases: the submission's put times, then, over the documents' final statuses,
     * the first chunk at translate, the last emitted, committed and seen ({@code visibleAt}, by
     * jobId).
     */
    static PhaseTimes of(long firstPutMillis, long lastPutMillis, Collection<DocumentOutcome> outcomes,
            Map<String, Long> visibleAt) {
        PhaseTimes times = new PhaseTimes().set(Phase.FIRST_PUT, firstPutMillis).set(Phase.LAST_PUT, lastPutMillis);
        long firstChunk = Long.MAX_VALUE;
        long emitted = 0;
        long committed = 0;
        long visible = 0;
        for (DocumentOutcome outcome : outcomes) {
            if (outcome.firstChunkSeenAt > 0) {
                firstChunk = Math.min(firstChunk, outcome.firstChunkSeenAt);
            }
            emitted = Math.max(emitted, outcome.emittedAt);
            committed = Math.max(committed, outcome.committedAt);
            visible = Math.max(visible, visibleAt.getOrDefault(outcome.jobId, 0L));
        }
        return times.set(Phase.FIRST_CHUNK, firstChunk == Long.MAX_VALUE ? 0 : firstChunk)
                .set(Phase.EMITTED, emitted).set(Phase.COMMITTED, committed).set(Phase.VISIBLE, visible);
    }

    /**
     * The Gemini side from a request log: the first arrival and the last answer ({@code
     * arrivalAndDelay} holds {arrival epoch millis, millis the answer was held}), unless known.
     */
    public PhaseTimes withRequests(Iterable<long[]> arrivalAndDelay) {
        long first = Long.MAX_VALUE;
        long last = 0;
        for (long[] request : arrivalAndDelay) {
            first = Math.min(first, request[0]);
            last = Math.max(last, request[0] + request[1]);
        }
        return setIfAbsent(Phase.FIRST_REQUEST, first == Long.MAX_VALUE ? 0 : first)
                .setIfAbsent(Phase.LAST_ANSWER, last);
    }

    /** Sets a phase; a non-positive time means unknown and is ignored. */
    public PhaseTimes set(Phase phase, long epochMillis) {
        if (epochMillis > 0) {
            at.put(phase, epochMillis);
        }
        return this;
    }

    /** Sets a phase only when it is not known yet. */
    public PhaseTimes setIfAbsent(Phase phase, long epochMillis) {
        return at.containsKey(phase) ? this : set(phase, epochMillis);
    }

    public boolean has(Phase phase) {
        return at.containsKey(phase);
    }

    /** {@code PHASES first_put=<ms> last_put=<ms> ...}: the known phases, in order. */
    public String line() {
        StringBuilder s = new StringBuilder(LINE_PREFIX);
        for (Map.Entry<Phase, Long> e : at.entrySet()) {
            s.append(' ').append(e.getKey().key()).append('=').append(e.getValue());
        }
        return s.toString();
    }

    /** The inverse of {@link #line()}; unknown keys and malformed values are skipped. */
    public static PhaseTimes parse(String line) {
        PhaseTimes times = new PhaseTimes();
        if (line == null) {
            return times;
        }
        for (String field : line.trim().split("\\s+")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            for (Phase phase : Phase.values()) {
                if (phase.key().equals(field.substring(0, eq))) {
                    try {
                        times.set(phase, Long.parseLong(field.substring(eq + 1)));
                    } catch (NumberFormatException ignored) {
                        // Not a time: the phase stays unknown.
                    }
                }
            }
        }
        return times;
    }

    /**
     * One row per known phase: seconds since the first put and since the phase before it (what
     * that step took); "-" where the first put is unknown.
     */
    public String table(String indent) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s%-32s %8s %8s%n", indent, "phase", "at_s",
                "step_s"));
        Long origin = at.get(Phase.FIRST_PUT);
        Long previous = null;
        for (Map.Entry<Phase, Long> e : at.entrySet()) {
            long t = e.getValue();
            String since = origin == null ? "-" : String.format(Locale.ROOT, "%.2f", (t - origin) / 1000.0);
            String step = previous == null ? "" : String.format(Locale.ROOT, "%+.2f", (t - previous) / 1000.0);
            s.append(String.format(Locale.ROOT, "%s%-32s %8s %8s%n", indent, e.getKey().label, since, step));
            previous = t;
        }
        return s.toString();
    }
}
