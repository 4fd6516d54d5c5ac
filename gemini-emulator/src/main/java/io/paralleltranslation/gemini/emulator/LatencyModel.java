package io.paralleltranslation.gemini.emulator;

import java.util.Random;

/**
 * How long a successful answer takes: {@code base + perOutputToken * outputTokens}, plus a uniform
 * jitter in [-jitter, +jitter], never negative. Errors and 429s answer at once, as Gemini's do.
 */
public final class LatencyModel {
    public static final LatencyModel NONE = new LatencyModel(0, 0, 0);

    private final long baseMillis;
    private final double perOutputTokenMillis;
    private final long jitterMillis;

    public LatencyModel(long baseMillis, double perOutputTokenMillis, long jitterMillis) {
        if (baseMillis < 0 || perOutputTokenMillis < 0 || jitterMillis < 0) {
            throw new IllegalArgumentException("latency settings must be >= 0");
        }
        this.baseMillis = baseMillis;
        this.perOutputTokenMillis = perOutputTokenMillis;
        this.jitterMillis = jitterMillis;
    }

    public static LatencyModel fixed(long millis) {
        return new LatencyModel(millis, 0, 0);
    }

    long delayMillis(int outputTokens, Random random) {
        double delay = baseMillis + perOutputTokenMillis * outputTokens;
        if (jitterMillis > 0) {
            delay += (random.nextDouble() * 2 - 1) * jitterMillis;
        }
        return Math.max(0, Math.round(delay));
    }

    @Override
    public String toString() {
        return "base=" + baseMillis + "ms, perOutputToken=" + perOutputTokenMillis + "ms, jitter=" + jitterMillis + "ms";
    }
}
