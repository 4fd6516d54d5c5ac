package io.paralleltranslation.ratelimit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The answer to an acquire: a grant, or a denial saying when capacity returns and why. */
public final class Acquisition {
    private final Grant grant;
    private final Instant retryAt;
    private final QuotaDimension limitedBy;
    private final boolean neverGrantable;

    private Acquisition(Grant grant, Instant retryAt, QuotaDimension limitedBy, boolean neverGrantable) {
        this.grant = grant;
        this.retryAt = retryAt;
        this.limitedBy = limitedBy;
        this.neverGrantable = neverGrantable;
    }

    public static Acquisition granted(Grant grant) {
        return new Acquisition(Objects.requireNonNull(grant, "grant"), null, null, false);
    }

    public static Acquisition denied(Instant retryAt, QuotaDimension limitedBy) {
        return new Acquisition(null, Objects.requireNonNull(retryAt, "retryAt"),
                Objects.requireNonNull(limitedBy, "limitedBy"), false);
    }

    /** The request alone exceeds a limit (e.g. more input tokens than TPM): retrying cannot help. */
    public static Acquisition neverGrantable(QuotaDimension limitedBy) {
        return new Acquisition(null, null, Objects.requireNonNull(limitedBy, "limitedBy"), true);
    }

    public boolean isGranted() {
        return grant != null;
    }

    public boolean isNeverGrantable() {
        return neverGrantable;
    }

    /** Present only when granted. */
    public Optional<Grant> grant() {
        return Optional.ofNullable(grant);
    }

    /** When a denied caller should try again; present only for a retryable denial. */
    public Optional<Instant> retryAt() {
        return Optional.ofNullable(retryAt);
    }

    /** Present only when denied. */
    public Optional<QuotaDimension> limitedBy() {
        return Optional.ofNullable(limitedBy);
    }

    @Override
    public String toString() {
        if (grant != null) {
            return "Acquisition{granted " + grant + "}";
        }
        return neverGrantable ? "Acquisition{never grantable: " + limitedBy + "}"
                : "Acquisition{denied by " + limitedBy + ", retry at " + retryAt + "}";
    }
}
