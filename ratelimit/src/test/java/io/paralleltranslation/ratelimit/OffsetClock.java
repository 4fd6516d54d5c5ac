package io.paralleltranslation.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A host's clock: true time (a shared {@link ManualClock}) plus a fixed skew. */
final class OffsetClock extends Clock {
    private final Clock truth;
    private final Duration skew;

    OffsetClock(Clock truth, Duration skew) {
        this.truth = truth;
        this.skew = skew;
    }

    @Override
    public Instant instant() {
        return truth.instant().plus(skew);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC instants only");
    }
}
