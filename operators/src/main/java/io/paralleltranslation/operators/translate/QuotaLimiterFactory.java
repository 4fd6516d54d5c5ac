package io.paralleltranslation.operators.translate;

import io.paralleltranslation.ratelimit.QuotaLimiter;
import java.io.Serializable;

/**
 * Builds the quota limiter inside the task, in {@code open()}. The factory travels with the job
 * graph, so it must hold only serializable configuration.
 */
@FunctionalInterface
public interface QuotaLimiterFactory extends Serializable {
    QuotaLimiter create();
}
