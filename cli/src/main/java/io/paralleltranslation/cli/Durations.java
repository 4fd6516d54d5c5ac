package io.paralleltranslation.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.apache.flink.util.TimeUtils;

/**
 * The one duration syntax of every entry point (config keys and CLI flags): Flink's
 * {@link TimeUtils} forms ({@code 100ms}, {@code 30 s}, {@code 5m}, {@code 10min}, {@code 2h},
 * {@code 1d}) plus ISO-8601 ({@code PT30S}). Unlike Flink, a bare number is refused: {@code 30}
 * would be 30 milliseconds there, never what someone typing a timeout means.
 */
public final class Durations {
    /** How to write one, for error messages. */
    public static final String SYNTAX = "a number and a unit (ms, s, m or min, h, d), e.g. 100ms, 30s, 10min, "
            + "or ISO-8601 such as PT30S";

    private Durations() {}

    /** Parses a duration; {@link IllegalArgumentException} says how to write one. */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("no duration given: use " + SYNTAX);
        }
        char first = trimmed.charAt(0);
        if (first == 'P' || first == 'p' || first == '-' && trimmed.length() > 1
                && Character.toUpperCase(trimmed.charAt(1)) == 'P') {
            try {
                return Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                throw notADuration(text);
            }
        }
        if (trimmed.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' has no unit: use " + SYNTAX);
        }
        try {
            return TimeUtils.parseDuration(trimmed);
        } catch (RuntimeException e) {
            throw notADuration(text);
        }
    }

    /** The text form people write, in the largest whole unit: {@code 30 min}, {@code 250 ms}. */
    public static String format(Duration duration) {
        return TimeUtils.formatWithHighestUnit(duration);
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration: use " + SYNTAX);
    }
}
