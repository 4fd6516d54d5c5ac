package io.paralleltranslation.job.quota;

import io.paralleltranslation.cli.Cli;
import java.time.Duration;

/** The quota tool's parsed command line, for tests in other packages. */
public final class QuotaToolTesting {
    private QuotaToolTesting() {}

    public static Duration margin(String... args) {
        return Cli.parse(new QuotaTool.Options(), args).margin;
    }
}
