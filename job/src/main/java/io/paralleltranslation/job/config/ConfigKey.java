package io.paralleltranslation.job.config;

import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One typed configuration key: dotted name {@code group.key} (the group is the Managed Flink
 * property group and the JSON file's top-level object), how to parse it, its default, what it
 * means, and which values it accepts.
 *
 * @param <T> the parsed value's type
 */
public final class ConfigKey<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Parses the text form of a value; throws {@link IllegalArgumentException} with the reason. */
    @FunctionalInterface
    public interface Parser<T> extends Serializable {
        T parse(String text);
    }

    /** Checks a parsed value; returns null when valid, else the reason it is not. */
    @FunctionalInterface
    public interface Check<T> extends Serializable {
        String problem(T value);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|min|h|d)");

    private final String name;
    private final String typeName;
    private final Parser<T> parser;
    private final T defaultValue;
    private final boolean required;
    private final boolean secret;
    private final boolean sensitiveText;
    private final String description;
    private final Check<T> check;

    private ConfigKey(String name, String typeName, Parser<T> parser, T defaultValue, boolean required,
            boolean secret, boolean sensitiveText, String description, Check<T> check) {
        if (!name.matches("[a-z]+\\.[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("config key names are group.kebab-case: " + name);
        }
        this.name = name;
        this.typeName = typeName;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.required = required;
        this.secret = secret;
        this.sensitiveText = sensitiveText;
        this.description = description;
        this.check = check;
    }

    public static ConfigKey<String> string(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, "string", text -> text, defaultValue, false, false, false, description, v -> null);
    }

    public static ConfigKey<Integer> integer(String name, Integer defaultValue, String description) {
        return new ConfigKey<>(name, "int", ConfigKey::parseInt, defaultValue, false, false, false, description, v -> null);
    }

    public static ConfigKey<Long> longInteger(String name, Long defaultValue, String description) {
        return new ConfigKey<>(name, "long", ConfigKey::parseLong, defaultValue, false, false, false, description, v -> null);
    }

    public static ConfigKey<Double> decimal(String name, Double defaultValue, String description) {
        return new ConfigKey<>(name, "double", ConfigKey::parseDouble, defaultValue, false, false, false, description,
                v -> Double.isFinite(v) ? null : "must be a finite number");
    }

    public static ConfigKey<Boolean> bool(String name, Boolean defaultValue, String description) {
        return new ConfigKey<>(name, "boolean", ConfigKey::parseBoolean, defaultValue, false, false, false, description,
                v -> null);
    }

    public static ConfigKey<Duration> duration(String name, Duration defaultValue, String description) {
        return new ConfigKey<>(name, "duration", ConfigKey::parseDuration, defaultValue, false, false, false, description,
                v -> v.isNegative() ? "must not be negative" : null);
    }

    public static ConfigKey<ZoneId> zone(String name, ZoneId defaultValue, String description) {
        return new ConfigKey<>(name, "zone", ZoneId::of, defaultValue, false, false, false, description, v -> null);
    }

    public static <E extends Enum<E>> ConfigKey<E> enumeration(String name, Class<E> type, E defaultValue,
            String description) {
        String choices = String.join("|", Arrays.stream(type.getEnumConstants()).map(Enum::name)
                .toArray(String[]::new));
        return new ConfigKey<>(name, choices, text -> parseEnum(type, text), defaultValue, false, false, false,
                description, v -> null);
    }

    public static <V> ConfigKey<V> custom(String name, String typeName, Parser<V> parser, V defaultValue,
            String description) {
        return new ConfigKey<>(name, typeName, parser, defaultValue, false, false, false, description, v -> null);
    }

    /** A key with no default that every run must set. */
    public ConfigKey<T> required() {
        return new ConfigKey<>(name, typeName, parser, null, true, secret, sensitiveText, description, check);
    }

    /** A key whose value never appears in logs, errors or {@code toString}. */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(name, typeName, parser, defaultValue, required, true, true, description, check);
    }

    /**
     * A key whose raw text may hold a secret (so errors never echo it) but whose parsed value masks
     * itself in {@code toString}, e.g. {@link ApiKeySource}.
     */
    public ConfigKey<T> sensitiveText() {
        return new ConfigKey<>(name, typeName, parser, defaultValue, required, secret, true, description, check);
    }

    /** Adds a check to the ones the key already has. */
    public ConfigKey<T> check(Check<T> more) {
        Check<T> first = check;
        Check<T> both = v -> {
            String problem = first.problem(v);
            return problem != null ? problem : more.problem(v);
        };
        if (defaultValue != null && both.problem(defaultValue) != null) {
            throw new IllegalArgumentException(name + ": default " + defaultValue + " " + both.problem(defaultValue));
        }
        return new ConfigKey<>(name, typeName, parser, defaultValue, required, secret, sensitiveText, description,
                both);
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

    /** Parses and checks a text value; the message names this key and never echoes a secret. */
    public T parse(String text) {
        T value;
        try {
            value = parser.parse(text.trim());
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
            throw new ConfigException(name + ": cannot read " + (sensitiveText ? "the value" : "'" + text + "'")
                    + " as " + typeName + (secret ? "" : reason));
        }
        String problem = check.problem(value);
        if (problem != null) {
            throw new ConfigException(name + ": " + (sensitiveText ? "" : "'" + text.trim() + "' ") + problem);
        }
        return value;
    }

    public String name() {
        return name;
    }

    /** The Managed Flink property group and JSON object the key lives in. */
    public String group() {
        return name.substring(0, name.indexOf('.'));
    }

    /** The key's name inside its group. */
    public String localName() {
        return name.substring(name.indexOf('.') + 1);
    }

    public String typeName() {
        return typeName;
    }

    /** Null when the key has no default (optional or required). */
    public T defaultValue() {
        return defaultValue;
    }

    public boolean isRequired() {
        return required;
    }

    public boolean isSecret() {
        return secret;
    }

    /** How the value shows in logs and {@code toString}: secrets as {@code ****}. */
    public String display(Object value) {
        if (value == null) {
            return "(unset)";
        }
        return secret ? "****" : format(value);
    }

    public String description() {
        return description;
    }

    /** Text form of a value as people write it (durations as {@code 10min}, {@code 500ms}). */
    public String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Duration) {
            return formatDuration((Duration) value);
        }
        return value.toString();
    }

    static Duration parseDuration(String text) {
        if (text.startsWith("P") || text.startsWith("p")) {
            return Duration.parse(text);
        }
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("use a number and a unit (ms, s, min, h, d), e.g. 30s, or ISO-8601 PT30S");
        }
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "min":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofDays(amount);
        }
    }

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"d", "h", "min", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms != 0 && ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    private static Boolean parseBoolean(String text) {
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.valueOf(text);
        }
        throw new IllegalArgumentException("use true or false");
    }

    private static Integer parseInt(String text) {
        return Integer.valueOf(text.replace("_", ""));
    }

    private static Long parseLong(String text) {
        return Long.valueOf(text.replace("_", ""));
    }

    private static Double parseDouble(String text) {
        return Double.valueOf(text);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.replace('-', '_'))) {
                return constant;
            }
        }
        throw new IllegalArgumentException("expected one of " + Arrays.toString(type.getEnumConstants()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigKey && ((ConfigKey<?>) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
