package io.paralleltranslation.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paralleltranslation.operators.cost.GeminiPrices;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
    private static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/chunks";

    @TempDir
    Path dir;

    private static final JobConfig.RuntimeProperties NO_RUNTIME = Collections::emptyMap;

    private static Map<String, String> minimal() {
        return ConfigFixtures.minimalSettings("eu-west-1");
    }

    private static JobConfig.RuntimeProperties runtime(String group, String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        Map<String, Properties> groups = new HashMap<>();
        groups.put(group, p);
        Properties required = new Properties();
        required.setProperty("stream", ARN);
        groups.merge("kinesis", required, (a, b) -> {
            a.putAll(b);
            return a;
        });
        Properties output = new Properties();
        output.setProperty("path", "s3://bucket/out");
        groups.putIfAbsent("output", output);
        return () -> groups;
    }

    private Path json(String text) throws IOException {
        return Files.write(dir.resolve("config.json"), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        JobConfig config = JobConfig.of(minimal());

        assertThat(config.get(TranslateOptions.CAPACITY)).isEqualTo(10);
        assertThat(config.get(TranslateOptions.INACTIVITY_TIMEOUT)).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.apiKeySource()).isEqualTo(ApiKeySource.parse("env:GEMINI_API_KEY"));
        assertThat(config.quotaDayZone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
        assertThat(config.kinesisEndpoint()).isNull();
        assertThat(config.get(JobOptions.PARALLELISM)).isNull();
        assertThat(config.kinesisRegion()).isEqualTo("eu-west-1");
        assertThat(config.dynamodbRegion()).isEqualTo("eu-west-1");
    }

    @Test
    void laterSourcesWinDefaultsThenRuntimeThenFileThenArguments() throws IOException {
        Path file = json("{\"gemini\": {\"model\": \"from-file\", \"temperature\": 0.7}, \"quota\": {\"rpm\": 50}}");
        JobConfig.RuntimeProperties runtime = runtime("gemini", "model", "from-runtime");

        JobConfig runtimeOnly = JobConfig.load(new String[0], runtime);
        JobConfig withFile = JobConfig.load(new String[] {"--config", file.toString()}, runtime);
        JobConfig withArgs = JobConfig.load(new String[] {"--config", file.toString(), "--gemini.model", "from-args",
            "--quota.rpm=70"}, runtime);

        assertThat(runtimeOnly.get(GeminiOptions.MODEL)).isEqualTo("from-runtime");
        assertThat(runtimeOnly.get(OutputOptions.PATH)).isEqualTo("s3://bucket/out");
        assertThat(withFile.get(GeminiOptions.MODEL)).isEqualTo("from-file");
        assertThat(withFile.get(GeminiOptions.TEMPERATURE)).isEqualTo(0.7);
        assertThat(withArgs.get(GeminiOptions.MODEL)).isEqualTo("from-args");
        assertThat(withArgs.get(QuotaOptions.RPM)).isEqualTo(70);
        assertThat(withArgs.get(GeminiOptions.TEMPERATURE)).isEqualTo(0.7);
    }

    @Test
    void parsesEveryType() {
        Map<String, String> m = minimal();
        m.put("kinesis.endpoint", "http://127.0.0.1:4567");
        m.put("kinesis.initial-position", "at_timestamp");
        m.put("kinesis.initial-timestamp", "2026-12-01T00:00:00Z");
        m.put("quota.tpm", "1000000");
        m.put("quota.day-zone", "UTC");
        m.put("translate.backoff-base", "500ms");
        m.put("translate.dedup-retention", "PT36H");
        m.put("job.restart-strategy", "fixed-delay");
        JobConfig config = JobConfig.of(m);

        assertThat(config.kinesisEndpoint()).isEqualTo(URI.create("http://127.0.0.1:4567"));
        assertThat(config.get(KinesisOptions.INITIAL_POSITION)).isEqualTo(KinesisOptions.InitialPosition.AT_TIMESTAMP);
        assertThat(config.kinesisInitialTimestamp()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(config.get(QuotaOptions.TPM)).isEqualTo(1_000_000L);
        assertThat(config.quotaDayZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(config.get(TranslateOptions.BACKOFF_BASE)).isEqualTo(Duration.ofMillis(500));
        assertThat(config.get(TranslateOptions.DEDUP_RETENTION)).isEqualTo(Duration.ofHours(36));
        assertThat(config.get(JobOptions.RESTART_STRATEGY)).isEqualTo(JobOptions.RestartStrategy.FIXED_DELAY);
    }

    @Test
    void errorsNameTheOffendingKeyAndWhereTheValueCameFrom() throws IOException {
        assertError("translate.capacity", "0", "translate.capacity: '0' must be between 1 and 1000");
        assertError("quota.rpm", "lots", "quota.rpm: cannot read 'lots' as int");
        assertError("translate.inactivity-timeout", "ten minutes", "translate.inactivity-timeout: cannot read 'ten minutes' as duration: 'ten minutes' is not a duration: use a number and a unit");
        assertError("translate.inactivity-timeout", "600", "has no unit");
        assertError("kinesis.stream", "chunks", "kinesis.stream: 'chunks' is not a Kinesis stream ARN");
        assertError("kinesis.endpoint", "127.0.0.1:4567", "kinesis.endpoint: '127.0.0.1:4567' is not valid");
        assertError("kinesis.initial-position", "EARLIEST", "kinesis.initial-position: cannot read 'EARLIEST'");
        assertError("gemini.modle", "x", "unknown config key 'gemini.modle'");
        assertError("kinesis.initial-position", "AT_TIMESTAMP", "kinesis.initial-timestamp: required when");
        assertError("translate.backoff-cap", "10ms", "translate.backoff-cap: must not be below translate.backoff-base");
        assertError("quota.window-margin", "1500ms", "quota.window-margin: '1500ms' must be whole seconds from 0s to 60s");
        assertError("quota.window-margin", "2min", "quota.window-margin: '2min' must be whole seconds");
        assertError("quota.window-margin", "0s", "quota.window-margin: 0s leaves no room for clock skew or for calls "
                + "reaching Gemini later than others; use at least 1s, or set quota.window-margin-zero-acknowledged=true");
        assertError("quota.window-margin-zero-acknowledged", "yes", "quota.window-margin-zero-acknowledged: cannot read");

        Map<String, String> none = new HashMap<>();
        none.put("kinesis.stream", ARN);
        assertThatThrownBy(() -> JobConfig.of(none)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("output.path: required but not set");

        Path file = json("{\"quota\": {\"rpd\": -5}}");
        assertThatThrownBy(() -> JobConfig.load(new String[] {"--config", file.toString(),
            "--kinesis.stream", ARN, "--output.path", "x"}, NO_RUNTIME))
                .isInstanceOf(ConfigException.class).hasMessageContaining("quota.rpd")
                .hasMessageContaining("config file " + file);
        assertThatThrownBy(() -> JobConfig.load(new String[] {"stray"}, NO_RUNTIME))
                .hasMessageContaining("unexpected argument 'stray'");
        assertThatThrownBy(() -> JobConfig.load(new String[] {"--config", json("[1]").toString()}, NO_RUNTIME))
                .hasMessageContaining("expected a JSON object of groups");
    }

    @Test
    void theTranslationCacheIsOnByDefaultAndItsKeysAreChecked() {
        Map<String, String> m = ConfigFixtures.minimalSettings("eu-west-1");
        JobConfig defaults = JobConfig.of(m);
        assertThat(defaults.get(CacheOptions.ENABLED)).isTrue();
        assertThat(defaults.get(CacheOptions.TABLE)).isEqualTo("parallel-translation-cache");
        assertThat(defaults.get(CacheOptions.TTL)).isEqualTo(Duration.ofDays(30));
        m.put("cache.enabled", "FALSE");
        assertThat(JobConfig.of(m).get(CacheOptions.ENABLED)).isFalse();
        m.put("cache.enabled", "yes");
        assertThatThrownBy(() -> JobConfig.of(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cache.enabled").hasMessageContaining("true or false");
        m.put("cache.enabled", "true");
        m.put("cache.ttl", "0s");
        assertThatThrownBy(() -> JobConfig.of(m)).isInstanceOf(ConfigException.class).hasMessageContaining("cache.ttl");
    }

    @Test
    void theDocumentBackstopMustOutlastADailyQuotaParkAndTheChunkTimeout() {
        Map<String, String> settings = minimal();
        assertThat(JobConfig.of(settings).get(TranslateOptions.DOCUMENT_BACKSTOP)).isEqualTo(Duration.ofDays(3));
        settings.put("translate.document-backstop", "24h");
        assertThatThrownBy(() -> JobConfig.of(settings)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("translate.document-backstop: must exceed one day")
                .hasMessageContaining("translate.chunk-timeout").hasMessageContaining("job.checkpoint-interval");
        settings.put("translate.document-backstop", "25h");
        settings.put("translate.chunk-timeout", "2h");
        assertThatThrownBy(() -> JobConfig.of(settings)).hasMessageContaining("= 93630 s, got 25 h");
        settings.put("translate.chunk-timeout", "30min");
        assertThat(JobConfig.of(settings).get(TranslateOptions.DOCUMENT_BACKSTOP)).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void secretsNeverAppearInToStringOrErrors() {
        Map<String, String> m = minimal();
        m.put("gemini.base-url", "http://127.0.0.1:9999");
        m.put("gemini.api-key-source", "literal:AIzaSECRETSECRET");
        m.put("kinesis.secret-access-key", "TOPSECRETKEY");
        JobConfig config = JobConfig.of(m);

        assertThat(config.toString()).doesNotContain("AIzaSECRETSECRET").doesNotContain("TOPSECRETKEY")
                .contains("gemini.api-key-source=******").contains("kinesis.secret-access-key=******")
                .contains("gemini.model=gemini-2.5-flash");
        assertThat(config.apiKeySource().reference()).isEqualTo("AIzaSECRETSECRET");

        Map<String, String> remote = minimal();
        remote.put("gemini.api-key-source", "literal:AIzaSECRETSECRET");
        assertThatThrownBy(() -> JobConfig.of(remote)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("gemini.api-key-source: a literal key is for local runs only")
                .hasMessageNotContaining("AIzaSECRETSECRET");
        Map<String, String> malformed = minimal();
        malformed.put("gemini.api-key-source", "AIzaSECRETSECRET");
        assertThatThrownBy(() -> JobConfig.of(malformed)).hasMessageContaining("gemini.api-key-source")
                .hasMessageNotContaining("AIzaSECRETSECRET");
    }

    @Test
    void survivesJavaSerializationSoOperatorsCanCarryIt() throws Exception {
        Map<String, String> m = minimal();
        m.put("kinesis.endpoint", "http://127.0.0.1:4567");
        m.put("flink.rest.port", "8081");
        JobConfig config = JobConfig.of(m);

        JobConfig copy = InstantiationUtil.clone(config);

        assertThat(copy.toString()).isEqualTo(config.toString());
        assertThat(copy.quotaDayZone()).isEqualTo(config.quotaDayZone());
        assertThat(copy.kinesisEndpoint()).isEqualTo(URI.create("http://127.0.0.1:4567"));
    }

    @Test
    void flinkKeysPassThroughWithoutThePrefix() {
        Map<String, String> m = minimal();
        m.put("flink.rest.port", "8081");
        JobConfig config = JobConfig.of(m);

        assertThat(config.flinkSettings()).containsEntry("rest.port", "8081");
        assertThat(config.toString()).contains("flink.rest.port=8081");
    }

    @Test
    void sensitiveFlinkKeysAreMaskedAsFlinkMasksThem() {
        Map<String, String> m = minimal();
        m.put("flink.s3.secret-key", "S3SECRETVALUE");
        m.put("flink.fs.azure.account.key.myaccount", "AZUREKEYVALUE");
        m.put("flink.parallelism.default", "4");
        JobConfig config = JobConfig.of(m);

        assertThat(config.toString()).doesNotContain("S3SECRETVALUE").doesNotContain("AZUREKEYVALUE")
                .contains("flink.s3.secret-key=******").contains("flink.fs.azure.account.key.myaccount=******")
                .contains("flink.parallelism.default=4");
        assertThat(config.flinkSettings()).containsEntry("s3.secret-key", "S3SECRETVALUE");
    }

    @Test
    void everyOptionHasAGroupADescriptionAndADefaultThatReadsBack() {
        assertThat(ConfigRegistry.options()).extracting(o -> o.key().substring(0, o.key().indexOf('.'))).containsOnly(
                "kinesis", "dynamodb", "cache", "gemini", "quota", "translate", "output", "job");
        for (ConfigOption<?> option : ConfigRegistry.options()) {
            assertThat(ConfigRegistry.description(option)).as(option.key()).isNotBlank();
            if (option.hasDefaultValue()) {
                Map<String, String> m = minimal();
                m.put(option.key(), ConfigRegistry.format(option.defaultValue()));
                assertThat((Object) JobConfig.of(m).get(option)).as(option.key()).isEqualTo(option.defaultValue());
            }
        }
        assertThat(ConfigRegistry.options().stream().map(ConfigOption::key).collect(Collectors.toSet()))
                .contains("kinesis.stream", "kinesis.endpoint", "dynamodb.table", "dynamodb.endpoint",
                        "gemini.base-url", "gemini.model", "gemini.api-key-source", "quota.rpm", "quota.tpm",
                        "quota.rpd", "translate.capacity", "gemini.request-timeout", "output.path");
    }

    /** The one duration syntax (Flink's TimeUtils forms and ISO-8601) on every duration key. */
    @Test
    void everyDurationKeyReadsTheOneSyntax() {
        Map<String, Duration> forms = Map.of("10min", Duration.ofMinutes(10), "5m", Duration.ofMinutes(5),
                "PT30S", Duration.ofSeconds(30), "30 s", Duration.ofSeconds(30), "100ms", Duration.ofMillis(100));
        int durationKeys = 0;
        for (ConfigOption<?> option : ConfigRegistry.options()) {
            if (ConfigRegistry.valueClass(option) != Duration.class) {
                continue;
            }
            durationKeys++;
            for (Map.Entry<String, Duration> form : forms.entrySet()) {
                Map<String, String> m = minimal();
                m.put(option.key(), form.getKey());
                // Other keys' rules may refuse the value (e.g. the backstop's floor): the parse is what is tested.
                try {
                    assertThat((Object) JobConfig.of(m).get(option)).as(option.key() + "=" + form.getKey())
                            .isEqualTo(form.getValue());
                } catch (ConfigException e) {
                    assertThat(e.getMessage()).as(option.key() + "=" + form.getKey())
                            .doesNotContain("cannot read");
                }
            }
        }
        assertThat(durationKeys).isGreaterThan(10);
        Map<String, String> m = minimal();
        m.put("translate.chunk-timeout", "5m");
        m.put("job.checkpoint-timeout", "10min");
        m.put("gemini.request-timeout", "PT30S");
        JobConfig config = JobConfig.of(m);
        assertThat(config.get(TranslateOptions.CHUNK_TIMEOUT)).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.get(JobOptions.CHECKPOINT_TIMEOUT)).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.get(GeminiOptions.REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void thePriceTableHasDatedDefaultsAndAnOverrideThatReplacesIt() {
        JobConfig defaults = JobConfig.of(minimal());
        assertThat(defaults.geminiPrices().hasPrice(defaults.get(GeminiOptions.MODEL))).isTrue();
        assertThat(defaults.geminiPrices().toString()).isEqualTo(GeminiPrices.DEFAULT_TABLE);
        Map<String, String> free = minimal();
        free.put("gemini.prices", "gemini-2.5-flash=0/0");
        assertThat(JobConfig.of(free).geminiPrices().table()).containsOnlyKeys("gemini-2.5-flash");
        assertError("gemini.prices", "gemini-2.5-flash=0.30", "gemini.prices: 'gemini-2.5-flash=0.30' is not valid");
        assertError("gemini.prices", "gemini-2.5-flash=0.30", "is not MODEL=IN/OUT");
    }

    private static void assertError(String key, String value, String message) {
        Map<String, String> m = minimal();
        m.put(key, value);
        assertThatThrownBy(() -> JobConfig.of(m)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }
}
