package io.paralleltranslation.ratelimit;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One quota scope and its limits: requests per sliding minute, input tokens per sliding minute,
 * requests per calendar day in {@link #zone()}. {@link #instances()} is P, the number of limiter
 * instances sharing the scope: while the shared store is unreachable each one keeps to 1/P.
 * {@link #windowMargin()} widens the sliding minute so that calls delayed by different amounts
 * between their grant and their arrival at the API still fit the API's own minute.
 */
public final class QuotaConfig {
    /** Gemini resets its per-day quotas at midnight Pacific time. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/Los_Angeles");
    /** Absorbs up to a second of spread in grant-to-arrival delays; steady throughput 60/62 of the limits. */
    public static final Duration DEFAULT_WINDOW_MARGIN = Duration.ofSeconds(1);
    /** Spreads the retries of a burst over a fifth of a second. */
    public static final Duration DEFAULT_RETRY_JITTER = Duration.ofMillis(200);
    /** A wider margin would cost over half the throughput and double the item's size. */
    public static final Duration MAX_WINDOW_MARGIN = Duration.ofSeconds(60);

    private final String scope;
    private final long requestsPerMinute;
    private final long inputTokensPerMinute;
    private final long requestsPerDay;
    private final ZoneId zone;
    private final int instances;
    private final Duration probeInterval;
    private final Duration windowMargin;
    private final boolean leases;
    private final Duration retryJitter;

    private QuotaConfig(Builder b) {
        this.scope = requireText(b.scope);
        this.requestsPerMinute = requireNonNegative(b.requestsPerMinute, "requestsPerMinute");
        this.inputTokensPerMinute = requireNonNegative(b.inputTokensPerMinute, "inputTokensPerMinute");
        this.requestsPerDay = requireNonNegative(b.requestsPerDay, "requestsPerDay");
        this.zone = Objects.requireNonNull(b.zone, "zone");
        if (b.instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1, was " + b.instances);
        }
        this.instances = b.instances;
        if (b.probeInterval.isNegative() || b.probeInterval.isZero()) {
            throw new IllegalArgumentException("probeInterval must be positive, was " + b.probeInterval);
        }
        this.probeInterval = b.probeInterval;
        if (b.windowMargin.isNegative() || b.windowMargin.getNano() != 0
                || b.windowMargin.compareTo(MAX_WINDOW_MARGIN) > 0) {
            throw new IllegalArgumentException("windowMargin must be whole seconds from 0 to "
                    + MAX_WINDOW_MARGIN.getSeconds() + " s, was " + b.windowMargin);
        }
        if (b.windowMargin.isZero() && !b.zeroMarginAcknowledged) {
            throw new IllegalArgumentException("windowMargin 0 leaves no room for clock skew or for calls that "
                    + "reach the API later than others: the margin must be at least the grant-to-arrival spread "
                    + "plus twice the clock skew (see docs/rate-limiter.md); acknowledge it to use 0 anyway");
        }
        this.windowMargin = b.windowMargin;
        this.leases = b.leases;
        if (b.retryJitter.isNegative() || b.retryJitter.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("retryJitter must be from 0 to 1 s, was " + b.retryJitter);
        }
        this.retryJitter = b.retryJitter;
    }

    public static Builder builder(String scope) {
        return new Builder(scope);
    }

    public String scope() {
        return scope;
    }

    public long requestsPerMinute() {
        return requestsPerMinute;
    }

    public long inputTokensPerMinute() {
        return inputTokensPerMinute;
    }

    public long requestsPerDay() {
        return requestsPerDay;
    }

    public ZoneId zone() {
        return zone;
    }

    public int instances() {
        return instances;
    }

    /** How often an instance in fallback tries the shared store again. */
    public Duration probeInterval() {
        return probeInterval;
    }

    /**
     * How much longer than 60 s the sliding window is: a request granted in second {@code s} is
     * checked against the slots {@code s-60-margin .. s}, so the grants of ANY {@code 60 s + margin}
     * of real time fit the per-minute limits. An API that counts a call when it arrives therefore
     * never sees more than its limit in a minute as long as grant-to-arrival delays differ by at
     * most the margin. The price: a window kept full yields the limit once per
     * {@code 61 s + margin} instead of once per 61 s.
     */
    public Duration windowMargin() {
        return windowMargin;
    }

    /**
     * Whether a write may take a block of grants ahead of demand (sized to the last busy second's
     * acquires), handed out locally within that second; the rest goes back with the next write.
     * Leased grants count as granted, so the guarantee is the same; they save store calls.
     */
    public boolean leases() {
        return leases;
    }

    /**
     * A denial's {@code retryAt} (per minute or paused) is moved later by a random amount up to this,
     * so that the callers of every instance do not all come back, and write, in the same millisecond.
     * Later is always safe. The per-day {@code retryAt} stays exactly the next midnight.
     */
    public Duration retryJitter() {
        return retryJitter;
    }

    /** How many one-second slots the window checks: {@link WindowState#MINUTE_SLOTS} plus the margin. */
    int windowSlots() {
        return WindowState.MINUTE_SLOTS + (int) windowMargin.getSeconds();
    }

    Limits limits() {
        return new Limits(requestsPerMinute, inputTokensPerMinute, requestsPerDay);
    }

    /** This instance's 1/P share, rounded down so that P shares never add up to more than the quota. */
    Limits fallbackShare() {
        return new Limits(requestsPerMinute / instances, inputTokensPerMinute / instances,
                requestsPerDay / instances);
    }

    @Override
    public String toString() {
        return "QuotaConfig{scope=" + scope + ", rpm=" + requestsPerMinute + ", tpm=" + inputTokensPerMinute
                + ", rpd=" + requestsPerDay + ", zone=" + zone + ", instances=" + instances
                + ", windowMargin=" + windowMargin.getSeconds() + "s, leases=" + leases + "}";
    }

    private static String requireText(String s) {
        if (s == null || s.trim().isEmpty()) {
            throw new IllegalArgumentException("a quota scope part must not be empty");
        }
        return s;
    }

    private static long requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    /** Builds a {@link QuotaConfig}; every limit must be set. */
    public static final class Builder {
        private final String scope;
        private long requestsPerMinute = -1;
        private long inputTokensPerMinute = -1;
        private long requestsPerDay = -1;
        private ZoneId zone = DEFAULT_ZONE;
        private int instances = 1;
        private Duration probeInterval = Duration.ofSeconds(5);
        private Duration windowMargin = DEFAULT_WINDOW_MARGIN;
        private boolean leases = true;
        private boolean zeroMarginAcknowledged;
        private Duration retryJitter = DEFAULT_RETRY_JITTER;

        private Builder(String scope) {
            this.scope = scope;
        }

        public Builder requestsPerMinute(long value) {
            this.requestsPerMinute = value;
            return this;
        }

        public Builder inputTokensPerMinute(long value) {
            this.inputTokensPerMinute = value;
            return this;
        }

        public Builder requestsPerDay(long value) {
            this.requestsPerDay = value;
            return this;
        }

        public Builder zone(ZoneId value) {
            this.zone = value;
            return this;
        }

        public Builder instances(int value) {
            this.instances = value;
            return this;
        }

        public Builder probeInterval(Duration value) {
            this.probeInterval = Objects.requireNonNull(value, "probeInterval");
            return this;
        }

        /**
         * Whole seconds from 0 (the plain 61-slot window) to {@link QuotaConfig#MAX_WINDOW_MARGIN};
         * default {@link QuotaConfig#DEFAULT_WINDOW_MARGIN}. Every limiter of a scope must use the same margin: a
         * writer with a smaller one drops slots the others still count.
         */
        public Builder windowMargin(Duration value) {
            this.windowMargin = Objects.requireNonNull(value, "windowMargin");
            return this;
        }

        /** From 0 to 1 s, default {@link QuotaConfig#DEFAULT_RETRY_JITTER}: see {@link QuotaConfig#retryJitter()}. */
        public Builder retryJitter(Duration value) {
            this.retryJitter = Objects.requireNonNull(value, "retryJitter");
            return this;
        }

        /**
         * Accepts a {@link #windowMargin} of 0, which is refused otherwise: it is safe only if every
         * call reaches the API after the same delay and every host's clock agrees to the millisecond.
         */
        public Builder acknowledgeZeroMargin(boolean value) {
            this.zeroMarginAcknowledged = value;
            return this;
        }

        /** Default true: see {@link QuotaConfig#leases()}. */
        public Builder leases(boolean value) {
            this.leases = value;
            return this;
        }

        public QuotaConfig build() {
            return new QuotaConfig(this);
        }
    }
}
