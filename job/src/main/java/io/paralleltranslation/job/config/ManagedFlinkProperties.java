package io.paralleltranslation.job.config;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;

/**
 * The Managed Flink runtime property groups. Off Managed Flink the runtime jar is absent (EMR) or
 * its properties file is (local): both mean no groups.
 */
final class ManagedFlinkProperties {
    private static final String RUNTIME_CLASS = "com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime";

    private ManagedFlinkProperties() {}

    static Map<String, Properties> read() throws IOException {
        try {
            Class.forName(RUNTIME_CLASS, false, ManagedFlinkProperties.class.getClassLoader());
        } catch (ClassNotFoundException notOnManagedFlink) {
            return Collections.emptyMap();
        }
        try {
            return KinesisAnalyticsRuntime.getApplicationProperties();
        } catch (FileNotFoundException notOnManagedFlink) {
            return Collections.emptyMap();
        }
    }
}
