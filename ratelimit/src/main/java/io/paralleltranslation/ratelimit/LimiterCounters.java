package io.paralleltranslation.ratelimit;

import java.util.concurrent.atomic.AtomicLong;

/** A {@link LimiterListener} that counts, for metrics gauges and benchmarks. Thread-safe. */
public final class LimiterCounters implements LimiterListener {
    private final AtomicLong storeCalls = new AtomicLong();
    private final AtomicLong conditionalFailures = new AtomicLong();
    private final AtomicLong granted = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong overDebitTokens = new AtomicLong();
    private final AtomicLong fallbackEntered = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong leased = new AtomicLong();
    private final AtomicLong limitCuts = new AtomicLong();
    private final AtomicLong lostResponsesRecovered = new AtomicLong();
    private volatile boolean inFallback;

    @Override
    public void onFallbackChanged(boolean nowInFallback) {
        inFallback = nowInFallback;
        if (nowInFallback) {
            fallbackEntered.incrementAndGet();
        }
    }

    @Override
    public void onStoreCalls(int calls) {
        storeCalls.addAndGet(calls);
    }

    @Override
    public void onConditionalFailure() {
        conditionalFailures.incrementAndGet();
    }

    @Override
    public void onThrottled() {
        throttled.incrementAndGet();
    }

    @Override
    public void onLostResponseRecovered() {
        lostResponsesRecovered.incrementAndGet();
    }

    @Override
    public void onLimitsCut(int percent) {
        limitCuts.incrementAndGet();
    }

    @Override
    public void onLeased(long requests) {
        leased.addAndGet(requests);
    }

    @Override
    public void onGranted(Grant grant) {
        granted.incrementAndGet();
    }

    @Override
    public void onDenied(QuotaDimension limitedBy) {
        denied.incrementAndGet();
    }

    @Override
    public void onOverDebit(long tokensOverLimit) {
        overDebitTokens.addAndGet(tokensOverLimit);
    }

    public long storeCalls() {
        return storeCalls.get();
    }

    public long conditionalFailures() {
        return conditionalFailures.get();
    }

    public long granted() {
        return granted.get();
    }

    public long denied() {
        return denied.get();
    }

    public long overDebitTokens() {
        return overDebitTokens.get();
    }

    /** How many times the limiter entered fallback. */
    public long fallbackEntered() {
        return fallbackEntered.get();
    }

    public boolean inFallback() {
        return inFallback;
    }

    /** Grants taken ahead of demand by leases (handed out locally, or given back). */
    public long leased() {
        return leased.get();
    }

    /** How many times a 429 that got through cut the scope's limits. */
    public long limitCuts() {
        return limitCuts.get();
    }

    public long throttled() {
        return throttled.get();
    }

    public long lostResponsesRecovered() {
        return lostResponsesRecovered.get();
    }

    @Override
    public String toString() {
        return "LimiterCounters{storeCalls=" + storeCalls + ", conditionalFailures=" + conditionalFailures
                + ", granted=" + granted + ", denied=" + denied + ", overDebitTokens=" + overDebitTokens
                + ", fallbackEntered=" + fallbackEntered + ", inFallback=" + inFallback + ", throttled=" + throttled
                + ", lostResponsesRecovered=" + lostResponsesRecovered + ", leased=" + leased + ", limitCuts=" + limitCuts + "}";
    }
}
