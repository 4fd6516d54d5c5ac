package io.paralleltranslation.job;

import io.paralleltranslation.gemini.emulator.GeminiEmulator;
import io.paralleltranslation.gemini.emulator.LatencyModel;
import io.paralleltranslation.localservices.LocalService;
import io.paralleltranslation.localservices.LocalServices;
import io.paralleltranslation.ratelimit.QuotaLimiters;
import io.paralleltranslation.ratelimit.QuotaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * What a job ITCase runs against, started once for its class: the MiniCluster
 * ({@link JobRuns#miniCluster()}; it also injects {@code @InjectClusterClient} parameters),
 * kinesis-local, dynalite with the quota table (as the local run and the deployment have it before
 * the job starts) and a Gemini emulator with jitter (chunks finish out of order). Register it as a
 * static {@code @RegisterExtension} field; {@link #settings} gives a run's job settings on them.
 */
final class JobStandIns implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback,
        ParameterResolver {
    static final String API_KEY = "test-key";

    private final MiniClusterExtension flink = JobRuns.miniCluster();
    private final KinesisStandIn kinesis = new KinesisStandIn();
    private LocalService dynalite;
    private GeminiEmulator emulator;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        flink.beforeAll(context);
        kinesis.beforeAll(context);
        dynalite = LocalServices.startDynalite();
        try (DynamoDbAsyncClient client = QuotaLimiters.dynamoDbClient(dynalite.endpoint(),
                Region.of(LocalServices.REGION), StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalServices.ACCESS_KEY_ID, LocalServices.SECRET_ACCESS_KEY)), Duration.ofSeconds(30))) {
            QuotaTable.createIfMissing(client, "quota", Duration.ofSeconds(60));
        }
        emulator = GeminiEmulator.builder().apiKey(API_KEY).latency(new LatencyModel(20, 0, 20)).start();
    }

    /** Makes {@code getExecutionEnvironment()} run jobs on the MiniCluster. */
    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        flink.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        flink.afterEach(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (emulator != null) {
                emulator.close();
            }
            if (dynalite != null) {
                dynalite.close();
            }
            kinesis.afterAll(context);
        } finally {
            flink.afterAll(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return flink.supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return flink.resolveParameter(parameter, context);
    }

    KinesisStandIn kinesis() {
        return kinesis;
    }

    GeminiEmulator emulator() {
        return emulator;
    }

    /**
     * Settings for a run reading {@code streamArn} from its start, with its own quota scope and
     * cache table (runs translating the same text must not answer each other from the cache unless
     * a test means them to), a quota far above demand, 1 s checkpoints, no restarts, and a fresh
     * output directory under {@code dir}.
     */
    Map<String, String> settings(Path dir, String streamArn, String scope, int parallelism, int capacity)
            throws IOException {
        Map<String, String> s = new HashMap<>();
        s.put("kinesis.stream", streamArn);
        s.put("kinesis.endpoint", kinesis.endpoint());
        s.put("kinesis.credentials-provider", "BASIC");
        s.put("kinesis.initial-position", "TRIM_HORIZON");
        s.put("kinesis.shard-discovery-interval", "1s");
        s.put("dynamodb.endpoint", dynalite.endpoint().toString());
        s.put("dynamodb.table", "quota");
        s.put("dynamodb.quota-scope", scope);
        s.put("cache.table", "cache-" + scope);
        s.put("gemini.base-url", emulator.baseUrl());
        s.put("gemini.api-key-source", "literal:" + API_KEY);
        s.put("quota.rpm", "100000");
        s.put("quota.tpm", "1000000000");
        s.put("quota.rpd", "10000000");
        s.put("translate.capacity", Integer.toString(capacity));
        s.put("translate.backoff-base", "100ms");
        s.put("translate.backoff-cap", "1s");
        s.put("job.parallelism", Integer.toString(parallelism));
        s.put("job.checkpoint-interval", "1s");
        s.put("job.restart-strategy", "NONE");
        s.put("output.path", Files.createTempDirectory(dir, scope).toUri().toString());
        return s;
    }
}
