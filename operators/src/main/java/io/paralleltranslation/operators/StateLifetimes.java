package io.paralleltranslation.operators;

import java.time.Duration;

/**
 * The default lifetimes of per-document state, read by the functions that keep it and by the job's
 * {@code translate.*} options. Flink-free, so tooling that only reads the job's options (the
 * deployment stacks) can load them without loading the functions.
 */
public final class StateLifetimes {
    /** How long seen chunks, and a reported document, are remembered. */
    public static final Duration RETENTION = Duration.ofDays(1);
    /** A document with chunks missing and nothing of it active for this long is reported incomplete. */
    public static final Duration INACTIVITY_TIMEOUT = Duration.ofMinutes(10);
    /** Last-resort bound on a document in translation: above a day, so a wait for the daily quota survives. */
    public static final Duration BACKSTOP = Duration.ofDays(3);

    private StateLifetimes() {}
}
