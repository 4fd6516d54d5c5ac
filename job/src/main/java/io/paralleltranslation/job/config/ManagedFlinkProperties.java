package io.paralleltranslation.job.config;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;

/**
 * The Managed Flink runtime property groups, read with AWS's runtime library (bundled in the job's
 * jar): the service writes them as a JSON array of {@code {"PropertyGroupId": ..., "PropertyMap":
 * {...}}} to the file the library's {@code config.properties} names
 * ({@code /etc/flink/application_properties.json}). Off Managed Flink (EMR, local) the file is
 * absent: no groups.
 */
final class ManagedFlinkProperties {
    private ManagedFlinkProperties() {}

    static Map<String, Properties> read() throws IOException {
        try {
            return KinesisAnalyticsRuntime.getApplicationProperties();
        } catch (FileNotFoundException | NoSuchFileException notOnManagedFlink) {
            return Collections.emptyMap();
        }
    }

    /** The groups in {@code file}, in the service's format (tests; the service's own path otherwise). */
    static Map<String, Properties> read(Path file) throws IOException {
        return KinesisAnalyticsRuntime.getApplicationProperties(file.toString());
    }
}
