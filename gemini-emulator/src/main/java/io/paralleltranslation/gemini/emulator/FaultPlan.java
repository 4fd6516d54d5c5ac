package io.paralleltranslation.gemini.emulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Which admitted generate requests get a forced answer. Checked in this order: a marker
 * {@code [[emulator:NAME]]} in the text to translate (never in the context, so a marked chunk does
 * not also break the next chunk whose context quotes it), then the scripted queue ("the next N
 * requests"), then random rates from a seeded generator. Thread-safe; tests may add faults while
 * the emulator runs.
 */
public final class FaultPlan {
    private static final String MARKER_PREFIX = "[[emulator:";

    private final Deque<Fault> scripted = new ArrayDeque<>();
    private final Map<Fault, Double> rates = new LinkedHashMap<>();
    private final Random random;

    public FaultPlan(long seed) {
        this.random = new Random(seed);
    }

    /** The next {@code count} admitted generate requests (without a marker) get {@code fault}. */
    public synchronized FaultPlan next(int count, Fault fault) {
        for (int i = 0; i < count; i++) {
            scripted.addLast(fault);
        }
        return this;
    }

    /** Each admitted request gets {@code fault} with this probability (rates are tried in order). */
    public synchronized FaultPlan rate(Fault fault, double probability) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("fault rate must be in [0, 1]: " + probability);
        }
        rates.put(fault, probability);
        return this;
    }

    /** Forgets scripted faults and rates (markers always apply). */
    public synchronized void clear() {
        scripted.clear();
        rates.clear();
    }

    /** The fault for a request translating {@code text}, or null for a normal answer. */
    synchronized Fault pick(String text) {
        Fault marked = markerIn(text);
        if (marked != null) {
            return marked;
        }
        if (!scripted.isEmpty()) {
            return scripted.removeFirst();
        }
        for (Map.Entry<Fault, Double> e : rates.entrySet()) {
            if (random.nextDouble() < e.getValue()) {
                return e.getKey();
            }
        }
        return null;
    }

    static Fault markerIn(String text) {
        int at = text.indexOf(MARKER_PREFIX);
        while (at >= 0) {
            int end = text.indexOf("]]", at);
            if (end < 0) {
                return null;
            }
            String name = text.substring(at + MARKER_PREFIX.length(), end);
            for (Fault f : Fault.values()) {
                if (f.markerName().equals(name)) {
                    return f;
                }
            }
            at = text.indexOf(MARKER_PREFIX, end);
        }
        return null;
    }
}
