package io.paralleltranslation.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests move by hand, so quota windows and day resets are tested without sleeping;
 * optionally it also moves by {@code tick} on every reading. The one test clock of every module
 * (the ratelimit test-jar).
 */
public final class ManualClock extends Clock {
    private final AtomicLong millis;
    private volatile long tickMillis;

    public ManualClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    public void set(Instant instant) {
        millis.set(instant.toEpochMilli());
    }

    public void advance(Duration duration) {
        millis.addAndGet(duration.toMillis());
    }

    /** Moves the clock on to {@code instant} unless it is already past it. */
    public void advanceTo(Instant instant) {
        millis.accumulateAndGet(instant.toEpochMilli(), Math::max);
    }

    /** Every later reading moves the clock on by {@code tick}: time passes as fast as the code asks. */
    public void tickOnRead(Duration tick) {
        this.tickMillis = tick.toMillis();
    }

    /** The time now, without moving the clock on. */
    public Instant peek() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.getAndAdd(tickMillis));
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
