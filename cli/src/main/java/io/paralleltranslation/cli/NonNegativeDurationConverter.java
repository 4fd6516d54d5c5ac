package io.paralleltranslation.cli;

import java.time.Duration;
import picocli.CommandLine;

/**
 * A {@link Durations} value that must not be negative (a latency, a delay): picocli names the flag
 * in its "Invalid value for option" line.
 */
public final class NonNegativeDurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return check(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /**
     * The same rule for a value picocli does not convert (e.g. {@code --set emulator.latency=...});
     * throws {@link IllegalArgumentException} starting with {@code flag}.
     */
    public static Duration check(String flag, String value) {
        try {
            return check(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }

    private static Duration check(String value) {
        Duration d = Durations.parse(value);
        if (d.isNegative()) {
            throw new IllegalArgumentException("must not be negative, got '" + value + "'");
        }
        return d;
    }
}
