package io.paralleltranslation.ratelimit;

import java.time.Instant;
import java.util.Objects;

/** What one successful acquisition took: needed to reconcile the token estimate afterwards. */
public final class Grant {
    private final Instant grantedAt;
    private final long inputTokens;

    public Grant(Instant grantedAt, long inputTokens) {
        this.grantedAt = Objects.requireNonNull(grantedAt, "grantedAt");
        this.inputTokens = inputTokens;
    }

    /** The instant the grant was counted at (its slot in the sliding window). */
    public Instant grantedAt() {
        return grantedAt;
    }

    public long inputTokens() {
        return inputTokens;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Grant)) {
            return false;
        }
        Grant that = (Grant) o;
        return inputTokens == that.inputTokens && grantedAt.equals(that.grantedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(grantedAt, inputTokens);
    }

    @Override
    public String toString() {
        return "Grant{at=" + grantedAt + ", inputTokens=" + inputTokens + "}";
    }
}
