package io.paralleltranslation.job.config;

import io.paralleltranslation.cli.Durations;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;

/**
 * Every job option, gathered from the option holders (one per group, in README order), with their
 * rules: what the config loader accepts, checks and documents.
 */
public final class ConfigRegistry {
    /** One group of options: the class holding its {@code ConfigOption} constants, and its rules. */
    private static final class Group {
        final Class<?> holder;
        final OptionRules rules;

        Group(Class<?> holder, OptionRules rules) {
            this.holder = holder;
            this.rules = rules;
        }
    }

    /** In README order. */
    private static final List<Group> GROUPS = List.of(new Group(KinesisOptions.class, KinesisOptions.RULES),
            new Group(DynamoDbOptions.class, DynamoDbOptions.RULES), new Group(CacheOptions.class, CacheOptions.RULES),
            new Group(GeminiOptions.class, GeminiOptions.RULES), new Group(QuotaOptions.class, QuotaOptions.RULES),
            new Group(TranslateOptions.class, TranslateOptions.RULES),
            new Group(OutputOptions.class, OutputOptions.RULES), new Group(JobOptions.class, JobOptions.RULES));
    private static final List<OptionRules> RULES = GROUPS.stream().map(g -> g.rules).collect(Collectors.toList());

    private static final Map<String, ConfigOption<?>> BY_KEY = collect();
    private static final Set<String> REQUIRED = RULES.stream().flatMap(r -> r.required().stream())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    private static final Set<String> SECRETS = RULES.stream().flatMap(r -> r.secrets().stream())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    private static final Map<String, OptionRules.Check<Object>> CHECKS = checks();
    private static final Map<String, String> DISPLAY_TYPES = RULES.stream()
            .flatMap(r -> r.displayTypes().entrySet().stream())
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

    private ConfigRegistry() {}

    /** Every option, in README order. */
    public static List<ConfigOption<?>> options() {
        return Collections.unmodifiableList(new ArrayList<>(BY_KEY.values()));
    }

    static ConfigOption<?> option(String key) {
        return BY_KEY.get(key);
    }

    static boolean isRequired(ConfigOption<?> option) {
        return REQUIRED.contains(option.key());
    }

    /** Whether a key's value (a job option or a {@code flink.*} key) is masked in logs and errors. */
    static boolean isSensitive(String key) {
        return SECRETS.contains(key) || GlobalConfiguration.isSensitive(key);
    }

    /** Null when the value passes the option's checks (durations are never negative), else why not. */
    static String problem(ConfigOption<?> option, Object value) {
        if (value instanceof Duration && ((Duration) value).isNegative()) {
            return "must not be negative";
        }
        OptionRules.Check<Object> check = CHECKS.get(option.key());
        return check == null ? null : check.problem(value);
    }

    /**
     * The option's value type. ConfigOption keeps it package-private ({@code getClazz}), and its
     * public API has no other way to tell a duration option from a string one without a value;
     * Flink's own doc generator reads it the same way.
     */
    static Class<?> valueClass(ConfigOption<?> option) {
        try {
            Method getClazz = ConfigOption.class.getDeclaredMethod("getClazz");
            getClazz.setAccessible(true);
            return (Class<?>) getClazz.invoke(option);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the type of " + option.key(), e);
        }
    }

    /** The type as the README shows it: string, int, duration, an enum's choices, or the rules' display type. */
    static String typeName(ConfigOption<?> option) {
        String display = DISPLAY_TYPES.get(option.key());
        if (display != null) {
            return display;
        }
        Class<?> type = valueClass(option);
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining("|"));
        }
        if (type == Integer.class) {
            return "int";
        }
        return type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** An option's description as plain text (the holders write plain text only). */
    public static String description(ConfigOption<?> option) {
        StringBuilder text = new StringBuilder();
        for (BlockElement block : option.description().getBlocks()) {
            if (block instanceof TextElement) {
                text.append(((TextElement) block).getFormat());
            }
        }
        return text.toString();
    }

    /** A value in the form people write it: durations as {@code 30 s}, everything else as text. */
    static String format(Object value) {
        return value instanceof Duration ? Durations.format((Duration) value) : String.valueOf(value);
    }

    /** The README's configuration table. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder();
        table.append("| key | type | default | description |\n");
        table.append("|---|---|---|---|\n");
        for (ConfigOption<?> option : BY_KEY.values()) {
            String fallback = isRequired(option) ? "**required**" : !option.hasDefaultValue() ? "(unset)"
                    : "`" + format(option.defaultValue()) + "`";
            table.append("| `").append(option.key()).append("` | ").append(typeName(option).replace("|", "\\|"))
                    .append(" | ").append(fallback).append(" | ")
                    .append(description(option).replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }

    private static Map<String, ConfigOption<?>> collect() {
        Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
        for (Group group : GROUPS) {
            for (Field field : group.holder.getDeclaredFields()) {
                if (field.getType() != ConfigOption.class || !Modifier.isStatic(field.getModifiers())
                        || !Modifier.isPublic(field.getModifiers())) {
                    continue;
                }
                ConfigOption<?> option;
                try {
                    option = (ConfigOption<?>) field.get(null);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (!option.key().matches("[a-z]+\\.[a-z][a-z0-9-]*")) {
                    throw new IllegalStateException("option keys are group.kebab-case: " + option.key());
                }
                if (byKey.put(option.key(), option) != null) {
                    throw new IllegalStateException("duplicate option " + option.key());
                }
            }
        }
        return byKey;
    }

    private static Map<String, OptionRules.Check<Object>> checks() {
        Map<String, OptionRules.Check<Object>> checks = new LinkedHashMap<>();
        for (OptionRules rules : RULES) {
            for (Map.Entry<String, OptionRules.Check<Object>> e : rules.checks().entrySet()) {
                if (!BY_KEY.containsKey(e.getKey())) {
                    throw new IllegalStateException("a rule names an unregistered option " + e.getKey());
                }
                checks.put(e.getKey(), e.getValue());
            }
        }
        return checks;
    }
}
