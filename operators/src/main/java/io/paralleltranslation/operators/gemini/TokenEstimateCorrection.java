package io.paralleltranslation.operators.gemini;

import java.util.EnumMap;
import java.util.Map;

/**
 * Learns, per script, how the per-script upper bound compares with what Gemini billed (the
 * promptTokenCount every answer reports), and scales later estimates to the largest recent ratio
 * plus a tenth: close to the truth, still above it for text like the recent. Thread-safe.
 */
public final class TokenEstimateCorrection {
    static final int WINDOW = 32;
    static final int MIN_SAMPLES = 8;
    static final double HEADROOM = 1.10;
    static final double MIN_FACTOR = 0.25;
    static final double MAX_FACTOR = 4.0;

    private final Map<ScriptTokenBounds.Script, double[]> ratios = new EnumMap<>(ScriptTokenBounds.Script.class);
    private final Map<ScriptTokenBounds.Script, Integer> seen = new EnumMap<>(ScriptTokenBounds.Script.class);

    /** Records that a request of {@code script} estimated at {@code estimated} was billed {@code actual}. */
    public synchronized void observe(ScriptTokenBounds.Script script, long estimated, long actual) {
        if (estimated <= 0 || actual <= 0) {
            return;
        }
        double[] window = ratios.computeIfAbsent(script, s -> new double[WINDOW]);
        int n = seen.getOrDefault(script, 0);
        window[n % WINDOW] = actual / (double) estimated;
        seen.put(script, n + 1);
    }

    /** The factor estimates of {@code script} are multiplied by: 1 until enough answers were seen. */
    public synchronized double factor(ScriptTokenBounds.Script script) {
        int n = seen.getOrDefault(script, 0);
        if (n < MIN_SAMPLES) {
            return 1.0;
        }
        double[] window = ratios.get(script);
        double max = 0;
        for (int i = 0; i < Math.min(n, WINDOW); i++) {
            max = Math.max(max, window[i]);
        }
        return Math.max(MIN_FACTOR, Math.min(MAX_FACTOR, max * HEADROOM));
    }

    public long corrected(ScriptTokenBounds.Script script, long estimate) {
        return (long) Math.ceil(estimate * factor(script));
    }
}
