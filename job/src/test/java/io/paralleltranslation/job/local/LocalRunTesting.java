package io.paralleltranslation.job.local;

import io.paralleltranslation.cli.Cli;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;

/** run-local's parsed command line, for tests in other packages. */
public final class LocalRunTesting {
    private LocalRunTesting() {}

    private static LocalRunOptions parse(String... args) {
        return Cli.parse(new LocalRunOptions(Paths.get("samples"), Paths.get("out")), args);
    }

    public static Duration maxWait(String... args) {
        return parse(args).maxWait;
    }

    /** The job keys given with {@code --set}. */
    public static Map<String, String> setting(String... args) {
        return parse(args).settings();
    }

    public static long emulatorLatencyMillis(String... args) {
        return parse(args).latencyMillis();
    }

    public static long emulatorJitterMillis(String... args) {
        return parse(args).jitterMillis();
    }
}
