package io.paralleltranslation.ratelimit;

/** What limited a denied acquisition. */
public enum QuotaDimension {
    REQUESTS_PER_MINUTE,
    INPUT_TOKENS_PER_MINUTE,
    REQUESTS_PER_DAY,
    /** A pushback (a refusal from the quota owner) is in force. */
    PAUSED
}
