package io.paralleltranslation.operators.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.operators.gemini.QuotaErrorParser.QuotaError;
import io.paralleltranslation.operators.gemini.TranslationOutcome.QuotaKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Parsing of 429 texts as {@code ApiException.message()} holds them: message, then "Details:" JSON. */
class QuotaErrorParserTest {
    private static final String MESSAGE = "You exceeded your current quota, please check your plan and billing details."
            + " For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n"
            + "* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests,"
            + " limit: 10, model: gemini-2.5-flash\nPlease retry in 25.470393s.\n";
    private static final String HELP = "{\"@type\":\"type.googleapis.com/google.rpc.Help\",\"links\":[{\"description\":"
            + "\"Learn more about Gemini API quotas\",\"url\":\"https://ai.google.dev/gemini-api/docs/rate-limits\"}]}";
    private static final String RPM = "{\"quotaMetric\":\"generativelanguage.googleapis.com/generate_content_free_tier_requests\","
            + "\"quotaId\":\"GenerateRequestsPerMinutePerProjectPerModel-FreeTier\",\"quotaDimensions\":{\"location\":"
            + "\"global\",\"model\":\"gemini-2.5-flash\"},\"quotaValue\":\"10\"}";
    private static final String TPM = "{\"quotaMetric\":\"generativelanguage.googleapis.com/generate_content_free_tier_input_token_count\","
            + "\"quotaId\":\"GenerateContentInputTokensPerModelPerMinute-FreeTier\",\"quotaDimensions\":{\"location\":"
            + "\"global\",\"model\":\"gemini-2.5-flash\"},\"quotaValue\":\"250000\"}";
    private static final String RPD = "{\"quotaMetric\":\"generativelanguage.googleapis.com/generate_content_free_tier_requests\","
            + "\"quotaId\":\"GenerateRequestsPerDayPerProjectPerModel-FreeTier\",\"quotaDimensions\":{\"location\":"
            + "\"global\",\"model\":\"gemini-2.5-flash\"},\"quotaValue\":\"250\"}";
    private static final String RETRY = "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"26s\"}";

    private static String failure(String... violations) {
        return "{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[" + String.join(",", violations) + "]}";
    }

    @Test
    void newerOrderHelpQuotaFailureRetryInfo() {
        QuotaError e = QuotaErrorParser.parse(MESSAGE + "Details: " + HELP + "\n" + failure(RPM) + "\n" + RETRY);

        assertThat(e.kind()).isEqualTo(QuotaKind.REQUESTS_PER_MINUTE);
        assertThat(e.quotaIds()).containsExactly("GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
        assertThat(e.retryDelay()).isEqualTo(Duration.ofSeconds(26));
    }

    @Test
    void olderOrderWithSeveralViolationsPicksTheSlowestLimit() {
        QuotaError e = QuotaErrorParser.parse(MESSAGE + "Details: " + failure(RPM, TPM) + "\n" + HELP + "\n" + RETRY);
        assertThat(e.kind()).isEqualTo(QuotaKind.INPUT_TOKENS_PER_MINUTE);
        assertThat(e.quotaIds()).hasSize(2);

        QuotaError reversed = QuotaErrorParser.parse(RETRY + "\n" + failure(TPM, RPD, RPM) + "\n" + HELP);
        assertThat(reversed.kind()).isEqualTo(QuotaKind.REQUESTS_PER_DAY);
        assertThat(reversed.retryDelay()).isEqualTo(Duration.ofSeconds(26));
    }

    @Test
    void theLongerOfRetryInfoAndTheMessageWins() {
        QuotaError e = QuotaErrorParser.parse("Please retry in 25.470393s. "
                + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"25s\"}");
        assertThat(e.retryDelay()).isEqualTo(Duration.ofMillis(25_471));
    }

    @Test
    void messageAloneAndMilliseconds() {
        assertThat(QuotaErrorParser.parse("Resource exhausted. Please retry in 750ms.").retryDelay())
                .isEqualTo(Duration.ofMillis(750));
        assertThat(QuotaErrorParser.parse("Please retry in 3s.").retryDelay()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void nothingToParse() {
        QuotaError e = QuotaErrorParser.parse("Resource has been exhausted (e.g. check quota).");
        assertThat(e.retryDelay()).isNull();
        assertThat(e.kind()).isEqualTo(QuotaKind.OTHER);
        assertThat(QuotaErrorParser.parse(null).kind()).isEqualTo(QuotaKind.OTHER);
    }

    @Test
    void quotaIdsOfPaidTiersAndUnknownOnes() {
        assertThat(QuotaErrorParser.kindOf("GenerateRequestsPerMinutePerProjectPerModel")).isEqualTo(QuotaKind.REQUESTS_PER_MINUTE);
        assertThat(QuotaErrorParser.kindOf("GenerateContentInputTokensPerModelPerMinute")).isEqualTo(QuotaKind.INPUT_TOKENS_PER_MINUTE);
        assertThat(QuotaErrorParser.kindOf("GenerateRequestsPerDayPerProjectPerModel")).isEqualTo(QuotaKind.REQUESTS_PER_DAY);
        assertThat(QuotaErrorParser.kindOf("SpendCapPerProjectPer10Minutes")).isEqualTo(QuotaKind.OTHER);
    }
}
