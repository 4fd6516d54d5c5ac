package io.paralleltranslation.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Managed Flink jar as `package` wrote it (failsafe runs after it): under the 40 MB goal,
 * without what the job never loads, with what each of its paths loads. That these are all it
 * needs is proven by running it (bin/check-managed-jar, docs/deploy.md "The jar").
 */
class ManagedFlinkJarITCase {
    private static final long MAX_BYTES = 40_000_000L;

    /** Entry prefixes left out, and why the job never loads them. */
    private static final Map<String, String> LEFT_OUT = Map.ofEntries(
            Map.entry("amazon-kinesis-producer-native-binaries/", "the producer's natives: the job only reads"),
            Map.entry("io/paralleltranslation/job/submit/", "the submit tool runs on a workstation"),
            Map.entry("io/paralleltranslation/job/local/", "the local run"),
            Map.entry("io/paralleltranslation/job/quota/", "the quota tool runs on a workstation"),
            Map.entry("picocli/", "the command-line tools' parser"),
            Map.entry("io/paralleltranslation/cli/Cli", "the command-line conventions"),
            Map.entry("software/amazon/awssdk/services/kinesis/", "the submit tool's Kinesis client"),
            Map.entry("org/apache/flink/kinesis/shaded/io/netty/", "the connector's async SDK v2 client"),
            Map.entry("org/apache/flink/kinesis/shaded/software/amazon/awssdk/services/",
                    "the connector's SDK v2 Kinesis and STS clients: fan-out, new source, assumed roles"),
            Map.entry("org/apache/flink/kinesis/shaded/software/amazon/ion/", "Ion: Kinesis speaks CBOR or JSON"),
            Map.entry("org/apache/hc/", "the Apache 5 HTTP client: Secrets Manager uses the URL connection"),
            Map.entry("software/amazon/awssdk/http/apache5/", "the SDK's Apache 5 adapter"),
            Map.entry("com/google/protobuf/", "genai's protobuf: only its local tokenizer names it"),
            Map.entry("com/google/genai/shaded/", "genai's relocated Kotlin: no class names it"),
            Map.entry("org/apache/http/", "google-http-client's Apache transport: no class names it"));

    /** One class of each path the job takes on a cluster. */
    private static final List<String> PATHS = List.of(
            "io/paralleltranslation/job/TranslationJob.class",
            "io/paralleltranslation/cli/Durations.class",
            "com/amazonaws/services/kinesisanalytics/runtime/KinesisAnalyticsRuntime.class",
            "org/apache/flink/streaming/connectors/kinesis/FlinkKinesisConsumer.class",
            "org/apache/flink/kinesis/shaded/com/amazonaws/services/kinesis/AmazonKinesisClient.class",
            "org/apache/flink/kinesis/shaded/com/amazonaws/services/kinesis/clientlibrary/types/UserRecord.class",
            "org/apache/flink/kinesis/shaded/com/amazonaws/auth/ContainerCredentialsProvider.class",
            "software/amazon/awssdk/services/dynamodb/DynamoDbAsyncClient.class",
            "software/amazon/awssdk/http/nio/netty/NettyNioAsyncHttpClient.class",
            "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class",
            "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class",
            "software/amazon/awssdk/auth/credentials/ContainerCredentialsProvider.class",
            "software/amazon/awssdk/regions/servicemetadata/DynamodbServiceMetadata.class",
            "com/google/genai/Client.class",
            "okhttp3/OkHttpClient.class");

    private static Path jar;
    private static Set<String> entries;

    @BeforeAll
    static void openTheJar() throws IOException {
        try (Stream<Path> files = Files.list(Paths.get("target"))) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith("-managed-flink.jar"))
                    .collect(Collectors.toList());
            assertThat(jars).as("one managed-flink jar in target/ (built without -Plocal)").hasSize(1);
            jar = jars.get(0);
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            entries = zip.stream().map(ZipEntry::getName).collect(Collectors.toSet());
        }
    }

    @Test
    void staysUnderFortyMegabytes() throws IOException {
        assertThat(Files.size(jar)).as(jar.toString()).isLessThan(MAX_BYTES);
    }

    @Test
    void leavesOutWhatTheJobNeverLoads() {
        LEFT_OUT.forEach((prefix, why) -> assertThat(entries).as(prefix + " (" + why + ")")
                .noneMatch(e -> e.startsWith(prefix)));
    }

    @Test
    void holdsWhatEachPathLoads() {
        assertThat(entries).containsAll(PATHS);
        assertThat(entries).as("the runtime library's file location, read by ManagedFlinkProperties")
                .contains("config.properties");
    }
}
