package io.paralleltranslation.operators.gemini;

import io.paralleltranslation.operators.gemini.TranslationOutcome.QuotaKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the retry delay and the exceeded quotas out of a 429's text. The SDK has no accessor for
 * an error's {@code details}: {@code ApiException.message()} holds the message followed by the
 * details, so this parses text, in whatever order the details come.
 */
final class QuotaErrorParser {
    private static final Pattern RETRY_DELAY =
            Pattern.compile("\"?retryDelay\"?\\s*[:=]\\s*\"?(\\d+(?:\\.\\d+)?)s");
    private static final Pattern RETRY_IN =
            Pattern.compile("[Pp]lease retry in (\\d+(?:\\.\\d+)?)\\s*(ms|s)\\b");
    private static final Pattern QUOTA_ID = Pattern.compile("\"?quotaId\"?\\s*[:=]\\s*\"?([A-Za-z0-9_.\\-]+)");

    private QuotaErrorParser() {}

    /** What a 429 says. */
    static final class QuotaError {
        private final Duration retryDelay;
        private final List<String> quotaIds;
        private final QuotaKind kind;

        QuotaError(Duration retryDelay, List<String> quotaIds, QuotaKind kind) {
            this.retryDelay = retryDelay;
            this.quotaIds = quotaIds;
            this.kind = kind;
        }

        /** The larger of RetryInfo's delay and the message's "Please retry in"; null when neither. */
        Duration retryDelay() {
            return retryDelay;
        }

        List<String> quotaIds() {
            return quotaIds;
        }

        QuotaKind kind() {
            return kind;
        }
    }

    static QuotaError parse(String message) {
        if (message == null) {
            return new QuotaError(null, Collections.emptyList(), QuotaKind.OTHER);
        }
        Duration delay = null;
        Matcher retryInfo = RETRY_DELAY.matcher(message);
        while (retryInfo.find()) {
            delay = max(delay, seconds(retryInfo.group(1), "s"));
        }
        Matcher retryIn = RETRY_IN.matcher(message);
        while (retryIn.find()) {
            delay = max(delay, seconds(retryIn.group(1), retryIn.group(2)));
        }
        List<String> ids = new ArrayList<>();
        Matcher quotaId = QUOTA_ID.matcher(message);
        while (quotaId.find()) {
            if (!ids.contains(quotaId.group(1))) {
                ids.add(quotaId.group(1));
            }
        }
        return new QuotaError(delay, Collections.unmodifiableList(ids), kindOf(ids));
    }

    /**
     * When several limits are exceeded, the one that takes longest to recover wins: per-day, then
     * input tokens per minute, then requests per minute.
     */
    static QuotaKind kindOf(List<String> quotaIds) {
        QuotaKind best = QuotaKind.OTHER;
        for (String id : quotaIds) {
            QuotaKind kind = kindOf(id);
            if (rank(kind) > rank(best)) {
                best = kind;
            }
        }
        return best;
    }

    static QuotaKind kindOf(String quotaId) {
        if (quotaId.contains("PerDay")) {
            return QuotaKind.REQUESTS_PER_DAY;
        }
        if (quotaId.contains("Token") && quotaId.contains("PerMinute")) {
            return QuotaKind.INPUT_TOKENS_PER_MINUTE;
        }
        if (quotaId.contains("Requests") && quotaId.contains("PerMinute")) {
            return QuotaKind.REQUESTS_PER_MINUTE;
        }
        return QuotaKind.OTHER;
    }

    private static int rank(QuotaKind kind) {
        switch (kind) {
            case REQUESTS_PER_DAY:
                return 3;
            case INPUT_TOKENS_PER_MINUTE:
                return 2;
            case REQUESTS_PER_MINUTE:
                return 1;
            default:
                return 0;
        }
    }

    private static Duration seconds(String number, String unit) {
        BigDecimal millis = new BigDecimal(number);
        if ("s".equals(unit)) {
            millis = millis.movePointRight(3);
        }
        return Duration.ofMillis(millis.setScale(0, RoundingMode.CEILING).longValueExact());
    }

    private static Duration max(Duration a, Duration b) {
        return a == null || b.compareTo(a) > 0 ? b : a;
    }
}
