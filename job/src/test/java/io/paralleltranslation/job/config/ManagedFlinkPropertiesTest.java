package io.paralleltranslation.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime property groups as Managed Flink delivers them: a JSON file the runtime library reads. */
class ManagedFlinkPropertiesTest {
    /** What the service writes for an application with two property groups (the documented shape). */
    private static final String SERVICE_FILE = "[\n"
            + "  {\"PropertyGroupId\": \"kinesis\", \"PropertyMap\": {"
            + "\"stream\": \"arn:aws:kinesis:eu-west-1:123456789012:stream/chunks\"}},\n"
            + "  {\"PropertyGroupId\": \"output\", \"PropertyMap\": {\"path\": \"s3://bucket/output/\"}},\n"
            + "  {\"PropertyGroupId\": \"translate\", \"PropertyMap\": {\"backoff-cap\": \"2min\","
            + " \"capacity\": \"7\"}}\n"
            + "]\n";

    @TempDir
    Path dir;

    @Test
    void theRuntimeLibraryLooksWhereTheServiceWritesTheGroups() throws IOException {
        Properties config = new Properties();
        try (InputStream in = ManagedFlinkProperties.class.getClassLoader().getResourceAsStream("config.properties")) {
            assertThat(in).as("the runtime library's config.properties on the classpath").isNotNull();
            config.load(in);
        }
        assertThat(config.getProperty("application_properties_file"))
                .isEqualTo("/etc/flink/application_properties.json");
    }

    @Test
    void readsTheGroupsTheServiceDelivers() throws IOException {
        Path file = Files.writeString(dir.resolve("application_properties.json"), SERVICE_FILE, StandardCharsets.UTF_8);

        Map<String, Properties> groups = ManagedFlinkProperties.read(file);

        assertThat(groups).containsOnlyKeys("kinesis", "output", "translate");
        assertThat(groups.get("translate").getProperty("capacity")).isEqualTo("7");
    }

    @Test
    void theJobConfigIsBuiltFromThem() throws IOException {
        Path file = Files.writeString(dir.resolve("application_properties.json"), SERVICE_FILE, StandardCharsets.UTF_8);

        JobConfig config = JobConfig.load(new String[] {"--translate.capacity", "9"},
                () -> ManagedFlinkProperties.read(file));

        assertThat(config.get(KinesisOptions.STREAM)).isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/chunks");
        assertThat(config.get(OutputOptions.PATH)).isEqualTo("s3://bucket/output/");
        assertThat(config.get(TranslateOptions.BACKOFF_CAP)).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.get(TranslateOptions.CAPACITY)).as("arguments win over the groups").isEqualTo(9);
    }

    @Test
    void offManagedFlinkThereAreNoGroups() throws IOException {
        // The service's file does not exist on this machine (nor on EMR): no groups, no error.
        assertThat(Files.exists(Path.of("/etc/flink/application_properties.json"))).isFalse();
        assertThat(ManagedFlinkProperties.read()).isEmpty();
    }
}
