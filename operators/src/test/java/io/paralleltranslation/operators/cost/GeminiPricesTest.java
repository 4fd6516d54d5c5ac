package io.paralleltranslation.operators.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class GeminiPricesTest {

    @Test
    void costIsTokensTimesThePricePerMillionInMicroDollars() {
        GeminiPrices prices = GeminiPrices.defaults();
        // 1,000 input tokens at $0.30/M and 1,200 output tokens at $2.50/M: $0.0003 + $0.003.
        assertThat(prices.costUsd("gemini-2.5-flash", 1_000, 1_200)).isEqualByComparingTo("0.003300");
        assertThat(prices.costUsd("models/Gemini-2.5-Pro", 1_000_000, 0)).isEqualByComparingTo("1.25");
        assertThat(prices.costUsd("gemini-2.5-flash-lite", 1, 1).scale()).isEqualTo(6);
        assertThat(prices.costUsd("gemini-2.5-flash-lite", 1, 1)).isEqualByComparingTo("0.000001");
    }

    @Test
    void theTextFormRoundTripsAndReplacesTheDefaults() {
        GeminiPrices free = GeminiPrices.parse(" gemini-2.5-flash = 0/0 ");
        assertThat(free.toString()).isEqualTo("gemini-2.5-flash=0/0");
        assertThat(free.costUsd("gemini-2.5-flash", 5_000, 5_000)).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(free.hasPrice("gemini-2.5-pro")).isFalse();
        assertThat(GeminiPrices.parse(GeminiPrices.DEFAULT_TABLE).toString()).isEqualTo(GeminiPrices.DEFAULT_TABLE);
        assertThat(GeminiPrices.parse("").table()).isEmpty();
    }

    @Test
    void aMalformedEntryIsNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> GeminiPrices.parse("gemini-2.5-flash=0.30"))
                .withMessageContaining("'gemini-2.5-flash=0.30' is not MODEL=IN/OUT");
        assertThatIllegalArgumentException().isThrownBy(() -> GeminiPrices.parse("m=0.1/x"))
                .withMessageContaining("'x' is not a number");
        assertThatIllegalArgumentException().isThrownBy(() -> GeminiPrices.parse("m=-1/1"))
                .withMessageContaining("must not be negative");
        assertThatIllegalArgumentException().isThrownBy(() -> GeminiPrices.parse("m=1/1,M=2/2"))
                .withMessageContaining("listed twice");
        assertThatIllegalArgumentException().isThrownBy(() -> GeminiPrices.defaults().costUsd("gpt", 1, 1))
                .withMessageContaining("no price for model gpt");
    }
}
