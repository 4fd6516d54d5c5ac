package io.paralleltranslation.operators.cost;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Gemini list prices in USD per million input and output tokens, per model, written
 * {@code MODEL=IN/OUT,MODEL=IN/OUT}. An estimate from the tokens Gemini reported, not a bill: the
 * free tier costs nothing, and prompts above 200K tokens (never a chunk of this job) cost more on
 * some models. Sources and dates of the defaults: docs/cost.md.
 */
public final class GeminiPrices implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    /** Digits kept of a cost in USD: micro-dollars. */
    public static final int USD_SCALE = 6;

    /**
     * Paid-tier list prices of the models the job is built for, as read on 2026-09-20 (Google's
     * Gemini API pricing page; see docs/cost.md for each source). Output prices include thinking tokens.
     */
    public static final String DEFAULT_TABLE =
            "gemini-2.5-flash=0.30/2.50,gemini-2.5-flash-lite=0.10/0.40,gemini-2.5-pro=1.25/10.00";

    private final Map<String, BigDecimal[]> perMillion;

    private GeminiPrices(Map<String, BigDecimal[]> perMillion) {
        this.perMillion = perMillion;
    }

    public static GeminiPrices defaults() {
        return parse(DEFAULT_TABLE);
    }

    /**
     * Parses {@code MODEL=IN/OUT,...}; an empty text is an empty table (every model unpriced).
     *
     * @throws IllegalArgumentException naming the entry that is not {@code MODEL=IN/OUT} with two
     *     non-negative numbers, or a model listed twice
     */
    public static GeminiPrices parse(String text) {
        Map<String, BigDecimal[]> table = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            int slash = trimmed.indexOf('/', equals + 1);
            if (equals <= 0 || slash < 0) {
                throw new IllegalArgumentException("'" + trimmed + "' is not MODEL=IN/OUT (USD per million "
                        + "input/output tokens), e.g. gemini-2.5-flash=0.30/2.50");
            }
            String model = normalize(trimmed.substring(0, equals));
            BigDecimal in = price(trimmed, trimmed.substring(equals + 1, slash));
            BigDecimal out = price(trimmed, trimmed.substring(slash + 1));
            if (table.put(model, new BigDecimal[] {in, out}) != null) {
                throw new IllegalArgumentException("model " + model + " is listed twice");
            }
        }
        return new GeminiPrices(table);
    }

    private static BigDecimal price(String entry, String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + entry + "': '" + text.trim() + "' is not a number");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException("'" + entry + "': a price must not be negative");
        }
        return value;
    }

    /** {@code models/gemini-2.5-flash} and {@code Gemini-2.5-Flash} are {@code gemini-2.5-flash}. */
    private static String normalize(String model) {
        String m = model.trim().toLowerCase(Locale.ROOT);
        return m.startsWith("models/") ? m.substring("models/".length()) : m;
    }

    public boolean hasPrice(String model) {
        return model != null && perMillion.containsKey(normalize(model));
    }

    /**
     * What the tokens cost in USD, rounded half-up to micro-dollars.
     *
     * @throws IllegalArgumentException when the model has no price ({@link #hasPrice})
     */
    public BigDecimal costUsd(String model, long inputTokens, long outputTokens) {
        BigDecimal[] price = model == null ? null : perMillion.get(normalize(model));
        if (price == null) {
            throw new IllegalArgumentException("no price for model " + model);
        }
        return price[0].multiply(BigDecimal.valueOf(inputTokens))
                .add(price[1].multiply(BigDecimal.valueOf(outputTokens)))
                .divide(MILLION, USD_SCALE, RoundingMode.HALF_UP);
    }

    /** Model to {@code [input, output]} USD per million tokens, in the order written. */
    public Map<String, BigDecimal[]> table() {
        return Collections.unmodifiableMap(perMillion);
    }

    /** The table in the form {@link #parse} reads. */
    @Override
    public String toString() {
        StringJoiner s = new StringJoiner(",");
        perMillion.forEach((model, p) -> s.add(model + "=" + p[0].toPlainString() + "/" + p[1].toPlainString()));
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeminiPrices && toString().equals(o.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
