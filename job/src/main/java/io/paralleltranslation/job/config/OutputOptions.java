package io.paralleltranslation.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** {@code output.*}: where the job writes. */
public final class OutputOptions {
    public static final ConfigOption<String> PATH = ConfigOptions.key("output.path").stringType().noDefaultValue()
            .withDescription("where documents, `_status/`, `_partial/` and `_dead-letter/` go: a local directory or "
                    + "`s3://bucket/prefix`");

    static final OptionRules RULES = new OptionRules()
            .required(PATH)
            .check(PATH, OptionRules.notEmpty());

    private OutputOptions() {}
}
