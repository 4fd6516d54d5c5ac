package io.paralleltranslation.job.config;

import java.util.HashMap;
import java.util.Map;

/** The least settings a valid {@link JobConfig} needs, for tests to add to. */
public final class ConfigFixtures {
    private ConfigFixtures() {}

    /** A mutable map with a stream ARN in {@code region} and an output path. */
    public static Map<String, String> minimalSettings(String region) {
        Map<String, String> m = new HashMap<>();
        m.put("kinesis.stream", "arn:aws:kinesis:" + region + ":123456789012:stream/chunks");
        m.put("output.path", "/tmp/out");
        return m;
    }
}
