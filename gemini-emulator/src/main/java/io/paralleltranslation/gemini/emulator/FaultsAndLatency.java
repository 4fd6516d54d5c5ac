package io.paralleltranslation.gemini.emulator;

import java.time.Duration;
import java.util.Random;

/**
 * Which admitted request gets a fault ({@link FaultPlan}) and how long each answer is held: a
 * {@link Fault#DELAY} or {@link Fault#SLOW} answer its fixed wait, a dropped connection none,
 * every other answer the seeded {@link LatencyModel}.
 */
final class FaultsAndLatency {
    private final FaultPlan plan;
    private final LatencyModel latency;
    private final Random random;
    private final Duration faultDelay;
    private final Duration slowDelay;

    FaultsAndLatency(FaultPlan plan, LatencyModel latency, long latencySeed, Duration faultDelay, Duration slowDelay) {
        this.plan = plan;
        this.latency = latency;
        this.random = new Random(latencySeed);
        this.faultDelay = faultDelay;
        this.slowDelay = slowDelay;
    }

    FaultPlan plan() {
        return plan;
    }

    /** The fault this admitted request gets, or null. */
    Fault pick(String text) {
        return plan.pick(text);
    }

    /** How long the answer to an admitted request with {@code fault} (or null) is held. */
    long delayMillis(Fault fault, int outputTokens) {
        if (fault == Fault.DROP_CONNECTION) {
            return 0;
        } else if (fault == Fault.DELAY) {
            return faultDelay.toMillis();
        } else if (fault == Fault.SLOW) {
            return slowDelay.toMillis();
        }
        synchronized (random) {
            return latency.delayMillis(outputTokens, random);
        }
    }
}
