package io.paralleltranslation.cli;

import java.time.Duration;
import picocli.CommandLine;

/** {@link Durations} for picocli, so a bad value reads "Invalid value for option '--flag': ...". */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
