package io.paralleltranslation.ratelimit;

/**
 * The store refused a call for capacity (DynamoDB throttling). Unlike an outage it hits one
 * instance at a time while the others go on writing, so a limiter backs off and tries again rather
 * than falling back to its 1/P share, which is safe only when every instance falls back together.
 */
public final class StoreThrottledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreThrottledException(String message, Throwable cause) {
        super(message, cause);
    }
}
