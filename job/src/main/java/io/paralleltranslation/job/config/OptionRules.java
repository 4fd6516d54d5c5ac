package io.paralleltranslation.job.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;

/**
 * What Flink's {@link ConfigOption} cannot say about one group's options: which must be set, and
 * which values are refused at start-up (ranges, formats). Each option holder declares its rules
 * next to its options; {@link ConfigRegistry} gathers them.
 */
public final class OptionRules {
    /** Checks a parsed value; returns null when valid, else why not (the caller names the key). */
    @FunctionalInterface
    public interface Check<T> {
        String problem(T value);
    }

    private final Set<String> required = new LinkedHashSet<>();
    private final Set<String> secrets = new LinkedHashSet<>();
    private final Map<String, Check<Object>> checks = new LinkedHashMap<>();
    private final Map<String, String> displayTypes = new LinkedHashMap<>();

    /** The option has no default and every run must set it. */
    public OptionRules required(ConfigOption<?> option) {
        if (option.hasDefaultValue()) {
            throw new IllegalArgumentException(option.key() + ": a required option has no default");
        }
        required.add(option.key());
        return this;
    }

    /**
     * The value never shows in logs or errors, also where Flink's own rule
     * ({@code GlobalConfiguration.isSensitive}, which masks keys naming a secret, token or password)
     * does not catch the key's name.
     */
    public OptionRules secret(ConfigOption<?> option) {
        secrets.add(option.key());
        return this;
    }

    /** Adds a check; the option's default must pass it. */
    @SuppressWarnings("unchecked")
    public <T> OptionRules check(ConfigOption<T> option, Check<? super T> check) {
        if (option.hasDefaultValue() && check.problem(option.defaultValue()) != null) {
            throw new IllegalArgumentException(option.key() + ": default " + option.defaultValue() + " "
                    + check.problem(option.defaultValue()));
        }
        Check<Object> previous = checks.get(option.key());
        Check<Object> added = v -> check.problem((T) v);
        checks.put(option.key(), previous == null ? added : v -> {
            String problem = previous.problem(v);
            return problem != null ? problem : added.problem(v);
        });
        return this;
    }

    /**
     * A string option whose text must parse as {@code T}; the parser's message is the reason.
     * {@code displayType} is what the README's type column shows instead of "string" (url, zone, a format).
     */
    public OptionRules parses(ConfigOption<String> option, String displayType, Function<String, ?> parser) {
        displayTypes.put(option.key(), displayType);
        return check(option, v -> {
            try {
                parser.apply(v);
                return null;
            } catch (RuntimeException e) {
                return "is not valid (" + e.getMessage() + ")";
            }
        });
    }

    Set<String> required() {
        return Collections.unmodifiableSet(required);
    }

    Set<String> secrets() {
        return Collections.unmodifiableSet(secrets);
    }

    Map<String, Check<Object>> checks() {
        return Collections.unmodifiableMap(checks);
    }

    Map<String, String> displayTypes() {
        return Collections.unmodifiableMap(displayTypes);
    }

    public static <N extends Comparable<N>> Check<N> atLeast(N minimum) {
        return v -> v.compareTo(minimum) < 0 ? "must be at least " + minimum : null;
    }

    public static <N extends Comparable<N>> Check<N> between(N minimum, N maximum) {
        return v -> v.compareTo(minimum) < 0 || v.compareTo(maximum) > 0
                ? "must be between " + minimum + " and " + maximum : null;
    }

    public static Check<Duration> positive() {
        return v -> v.isZero() || v.isNegative() ? "must be positive" : null;
    }

    public static Check<String> notEmpty() {
        return v -> v.trim().isEmpty() ? "must not be empty" : null;
    }

    /** An http:// or https:// URL with a host. */
    public static URI parseUrl(String text) {
        URI uri = URI.create(text.trim());
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("expected an http:// or https:// URL");
        }
        return uri;
    }
}
