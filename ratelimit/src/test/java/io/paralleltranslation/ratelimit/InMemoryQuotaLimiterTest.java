package io.paralleltranslation.ratelimit;

/** The limiter's contract on the in-memory store. */
class InMemoryQuotaLimiterTest extends AbstractQuotaLimiterTest {
    private final InMemoryQuotaStore store = new InMemoryQuotaStore();

    @Override
    QuotaStore store() {
        return store;
    }

    @Override
    long storedExpiresAt(String scope) {
        return store.expiresAt(scope);
    }
}
