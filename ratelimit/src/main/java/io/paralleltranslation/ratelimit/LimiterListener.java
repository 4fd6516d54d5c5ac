package io.paralleltranslation.ratelimit;

/**
 * What a limiter reports as it works, for metrics (e.g. Flink gauges and counters) and
 * benchmarks. Called on the limiter's own thread: keep implementations quick and non-blocking.
 */
public interface LimiterListener {
    /** Does nothing. */
    LimiterListener NONE = new LimiterListener() {};

    /** The limiter entered ({@code true}) or left the fallback where it keeps to its 1/P share. */
    default void onFallbackChanged(boolean inFallback) {}

    /** {@code calls} requests were sent to the shared store. */
    default void onStoreCalls(int calls) {}

    /** A conditional write lost to another writer and will be retried on the state it found. */
    default void onConditionalFailure() {}

    /** The store throttled this instance; it backs off and tries again (it does not fall back). */
    default void onThrottled() {}

    /**
     * A write whose answer was lost (a retried request that then lost the version condition to
     * itself) was found applied, by its batch id in the item, and counted once.
     */
    default void onLostResponseRecovered() {}

    /** A write took {@code requests} grants ahead of demand, to hand out locally within their second. */
    default void onLeased(long requests) {}

    /** A 429 got through: the scope's RPM and TPM are now {@code percent}% lower for a while. */
    default void onLimitsCut(int percent) {}

    default void onGranted(Grant grant) {}

    default void onDenied(QuotaDimension limitedBy) {}

    /**
     * A reconcile debited more input tokens than the window allows: the true count exceeded TPM by
     * {@code tokensOverLimit} in the window of that grant. Later grants wait until it has passed.
     */
    default void onOverDebit(long tokensOverLimit) {}
}
