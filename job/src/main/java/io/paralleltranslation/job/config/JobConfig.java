package io.paralleltranslation.job.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paralleltranslation.cli.Durations;
import io.paralleltranslation.operators.cost.GeminiPrices;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * The job's one configuration entry point: the {@link ConfigOption}s of {@link ConfigRegistry}
 * read through Flink's {@link Configuration}. Sources, later ones winning: the options' defaults,
 * the Managed Flink runtime property groups, a JSON file of the same shape given by
 * {@code --config FILE}, and {@code --group.key value} command-line arguments (EMR, local runs).
 * Every value is parsed and checked when the config is built; the error names the offending key
 * and the source it came from. Unknown keys are refused. Keys under {@code flink.} are handed to
 * Flink's own configuration with the prefix removed. Durations use {@link Durations}.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Prefix of keys passed through to Flink's configuration. */
    public static final String FLINK_PREFIX = "flink.";


    /** Reads the Managed Flink runtime property groups (empty elsewhere). */
    @FunctionalInterface
    public interface RuntimeProperties {
        Map<String, Properties> groups() throws IOException;
    }

    private final Configuration values;
    private final Map<String, String> flinkSettings;

    private JobConfig(Configuration values, Map<String, String> flinkSettings) {
        this.values = values;
        this.flinkSettings = flinkSettings;
    }

    /** Loads the config for a run: Managed Flink properties when present, then the arguments. */
    public static JobConfig load(String[] args) {
        return load(args, ManagedFlinkProperties::read);
    }

    public static JobConfig load(String[] args, RuntimeProperties runtime) {
        List<Layer> layers = new ArrayList<>();
        try {
            layers.add(Layer.fromGroups("Managed Flink runtime properties", runtime.groups()));
        } catch (IOException e) {
            throw new ConfigException("cannot read the Managed Flink runtime properties: " + e.getMessage(), e);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("unexpected argument '" + arg + "': use --config FILE or --group.key value");
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigException("--" + name + " needs a value");
            }
            if (name.equals("config")) {
                file = Paths.get(value);
            } else {
                overrides.put(name, value);
            }
        }
        if (file != null) {
            layers.add(Layer.fromJsonFile(file));
        }
        layers.add(new Layer("the command line", overrides));
        return fromLayers(layers);
    }

    /**
     * Builds a config from named flat {@code group.key} maps, later ones winning (iteration order);
     * an error names the map's source, e.g. {@code --set}.
     */
    public static JobConfig ofSources(LinkedHashMap<String, Map<String, String>> sources) {
        List<Layer> layers = new ArrayList<>();
        sources.forEach((origin, settings) -> layers.add(new Layer(origin, settings)));
        return fromLayers(layers);
    }

    /**
     * Checks one source's keys and values on their own (unknown keys, values that do not parse or
     * break their option's rules), naming {@code origin}; the checks across keys wait for the whole
     * config. A tool calls it to refuse a bad value before it starts anything.
     */
    public static void checkValues(String origin, Map<String, String> settings) {
        Layer layer = new Layer(origin, settings);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            checkKey(layer, e.getKey(), e.getValue());
            ConfigOption<?> option = ConfigRegistry.option(e.getKey());
            if (option != null) {
                parse(option, e.getValue(), origin);
            }
        }
    }

    private static void checkKey(Layer layer, String name, String value) {
        if (!name.startsWith(FLINK_PREFIX) && ConfigRegistry.option(name) == null) {
            throw new ConfigException("unknown config key '" + name + "' (from " + layer.origin
                    + "); known keys: " + String.join(", ", knownKeys()));
        }
        if (value == null) {
            throw new ConfigException(name + ": no value (from " + layer.origin + ")");
        }
    }

    /** Builds a config from flat {@code group.key} maps, later maps winning (tests, tools). */
    @SafeVarargs
    public static JobConfig of(Map<String, String>... settings) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < settings.length; i++) {
            layers.add(new Layer("settings #" + (i + 1), settings[i]));
        }
        return fromLayers(layers);
    }

    private static JobConfig fromLayers(List<Layer> layers) {
        Map<String, String> merged = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (Layer layer : layers) {
            for (Map.Entry<String, String> e : layer.settings.entrySet()) {
                String name = e.getKey();
                checkKey(layer, name, e.getValue());
                merged.put(name, e.getValue());
                origin.put(name, layer.origin);
            }
        }
        Configuration values = new Configuration();
        for (ConfigOption<?> option : ConfigRegistry.options()) {
            String text = merged.get(option.key());
            if (text != null) {
                set(values, option, parse(option, text, origin.get(option.key())));
            } else if (ConfigRegistry.isRequired(option)) {
                throw new ConfigException(option.key() + ": required but not set ("
                        + ConfigRegistry.description(option) + ")");
            }
        }
        Map<String, String> flink = new TreeMap<>();
        for (Map.Entry<String, String> e : merged.entrySet()) {
            if (e.getKey().startsWith(FLINK_PREFIX)) {
                flink.put(e.getKey().substring(FLINK_PREFIX.length()), e.getValue());
            }
        }
        JobConfig config = new JobConfig(values, flink);
        config.checkAcrossKeys();
        return config;
    }

    /**
     * One value through Flink's parsing for the option's type (durations through {@link Durations},
     * which adds ISO-8601), then the option's checks. Sensitive values are never echoed.
     */
    private static Object parse(ConfigOption<?> option, String text, String origin) {
        boolean sensitive = ConfigRegistry.isSensitive(option.key());
        String shown = sensitive ? "the value" : "'" + text.trim() + "'";
        Class<?> type = ConfigRegistry.valueClass(option);
        Object value;
        try {
            if (type == Duration.class) {
                value = Durations.parse(text);
            } else {
                // Enum constants use _, people also write - (fixed-delay).
                String normalised = type.isEnum() ? text.trim().replace('-', '_') : text.trim();
                value = Configuration.fromMap(Map.of(option.key(), normalised)).get(option);
            }
        } catch (IllegalArgumentException e) {
            String reason = sensitive ? "" : type == Duration.class ? ": " + e.getMessage()
                    : type == Boolean.class ? ": use true or false" : "";
            throw new ConfigException(option.key() + ": cannot read " + shown + " as "
                    + ConfigRegistry.typeName(option) + reason + " (from " + origin + ")");
        }
        String problem = ConfigRegistry.problem(option, value);
        if (problem != null && sensitive && problem.contains(text.trim())) {
            problem = "is not valid";
        }
        if (problem != null) {
            throw new ConfigException(option.key() + ": " + (sensitive ? "the value " : shown + " ") + problem
                    + " (from " + origin + ")");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(Configuration values, ConfigOption<T> option, Object value) {
        values.set(option, (T) value);
    }

    private static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        for (ConfigOption<?> option : ConfigRegistry.options()) {
            keys.add(option.key());
        }
        return keys;
    }

    private void checkAcrossKeys() {
        if (get(QuotaOptions.WINDOW_MARGIN).isZero() && !get(QuotaOptions.WINDOW_MARGIN_ZERO_ACKNOWLEDGED)) {
            throw new ConfigException(QuotaOptions.WINDOW_MARGIN.key() + ": 0s leaves no room for clock skew or for "
                    + "calls reaching Gemini later than others; use at least 1s, or set "
                    + QuotaOptions.WINDOW_MARGIN_ZERO_ACKNOWLEDGED.key() + "=true");
        }
        if (get(KinesisOptions.INITIAL_POSITION) == KinesisOptions.InitialPosition.AT_TIMESTAMP
                && get(KinesisOptions.INITIAL_TIMESTAMP) == null) {
            throw new ConfigException(KinesisOptions.INITIAL_TIMESTAMP.key() + ": required when "
                    + KinesisOptions.INITIAL_POSITION.key() + " is AT_TIMESTAMP");
        }
        if (get(TranslateOptions.BACKOFF_CAP).compareTo(get(TranslateOptions.BACKOFF_BASE)) < 0) {
            throw new ConfigException(TranslateOptions.BACKOFF_CAP.key() + ": must not be below "
                    + TranslateOptions.BACKOFF_BASE.key());
        }
        if (get(JobOptions.CHECKPOINT_TIMEOUT).compareTo(get(JobOptions.ALIGNED_CHECKPOINT_TIMEOUT)) <= 0) {
            throw new ConfigException(JobOptions.ALIGNED_CHECKPOINT_TIMEOUT.key() + ": must be below "
                    + JobOptions.CHECKPOINT_TIMEOUT.key());
        }
        Duration backstopFloor = Duration.ofDays(1).plus(get(TranslateOptions.CHUNK_TIMEOUT))
                .plus(get(JobOptions.CHECKPOINT_INTERVAL));
        if (get(TranslateOptions.DOCUMENT_BACKSTOP).compareTo(backstopFloor) <= 0) {
            throw new ConfigException(TranslateOptions.DOCUMENT_BACKSTOP.key() + ": must exceed one day (a chunk "
                    + "parked for the daily quota) + " + TranslateOptions.CHUNK_TIMEOUT.key() + " + "
                    + JobOptions.CHECKPOINT_INTERVAL.key() + " = " + Durations.format(backstopFloor) + ", got "
                    + Durations.format(get(TranslateOptions.DOCUMENT_BACKSTOP)));
        }
        if (apiKeySource().kind() == ApiKeySource.Kind.LITERAL && !Endpoints.isLoopback(geminiBaseUrl())) {
            throw new ConfigException(GeminiOptions.API_KEY_SOURCE.key() + ": a literal key is for local runs only "
                    + "(gemini.base-url on 127.0.0.1/localhost); use env:NAME or secretsmanager:ID");
        }
    }

    /** The value, or the option's default; null only for an option without default that is unset. */
    public <T> T get(ConfigOption<T> option) {
        if (ConfigRegistry.option(option.key()) != option) {
            throw new IllegalArgumentException("not a job option: " + option.key());
        }
        return values.get(option);
    }

    /** The stream's region: {@code kinesis.region}, else the region in the stream ARN. */
    public String kinesisRegion() {
        String region = get(KinesisOptions.REGION);
        if (region != null) {
            return region;
        }
        Matcher m = KinesisOptions.STREAM_ARN.matcher(get(KinesisOptions.STREAM));
        if (!m.matches()) {
            throw new IllegalStateException("validated at load");
        }
        return m.group(1);
    }

    /** {@code kinesis.endpoint} as a URI; null: AWS. */
    public URI kinesisEndpoint() {
        return url(KinesisOptions.ENDPOINT);
    }

    /** {@code kinesis.initial-timestamp}; null when unset. */
    public Instant kinesisInitialTimestamp() {
        String text = get(KinesisOptions.INITIAL_TIMESTAMP);
        return text == null ? null : Instant.parse(text.trim());
    }

    /** The table's region: {@code dynamodb.region}, else the Kinesis region. */
    public String dynamodbRegion() {
        String region = get(DynamoDbOptions.REGION);
        return region != null ? region : kinesisRegion();
    }

    /** {@code dynamodb.endpoint} as a URI; null: AWS. */
    public URI dynamodbEndpoint() {
        return url(DynamoDbOptions.ENDPOINT);
    }

    /** {@link DynamoDbOptions#ATTEMPT_TIMEOUT}, or its default for AWS or for a stand-in. */
    public Duration dynamodbAttemptTimeout() {
        Duration configured = get(DynamoDbOptions.ATTEMPT_TIMEOUT);
        if (configured != null) {
            return configured;
        }
        return dynamodbEndpoint() == null ? DynamoDbOptions.AWS_ATTEMPT_TIMEOUT : DynamoDbOptions.STAND_IN_ATTEMPT_TIMEOUT;
    }

    /** {@code gemini.base-url} as a URI; null: Google's endpoint. */
    public URI geminiBaseUrl() {
        return url(GeminiOptions.BASE_URL);
    }

    /** {@code gemini.api-key-source}, parsed. */
    public ApiKeySource apiKeySource() {
        return ApiKeySource.parse(get(GeminiOptions.API_KEY_SOURCE).trim());
    }

    /** {@code gemini.prices}, parsed. */
    public GeminiPrices geminiPrices() {
        return GeminiPrices.parse(get(GeminiOptions.PRICES).trim());
    }

    /** {@code quota.day-zone}, parsed. */
    public ZoneId quotaDayZone() {
        return ZoneId.of(get(QuotaOptions.DAY_ZONE).trim());
    }

    /** {@code flink.*} settings with the prefix removed, for Flink's {@code Configuration}. */
    public Map<String, String> flinkSettings() {
        return Collections.unmodifiableMap(flinkSettings);
    }

    /** The README's configuration table, generated from {@link #options()}. */
    public static String markdownTable() {
        return ConfigRegistry.markdownTable();
    }

    private URI url(ConfigOption<String> option) {
        String text = get(option);
        return text == null ? null : OptionRules.parseUrl(text);
    }

    /** Every value that is set or has a default; Flink's rule for sensitive keys masks secrets. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("JobConfig{");
        String separator = "";
        for (ConfigOption<?> option : ConfigRegistry.options()) {
            Object value = values.get(option);
            if (value != null) {
                s.append(separator).append(option.key()).append('=').append(display(option.key(),
                        ConfigRegistry.format(value)));
                separator = ", ";
            }
        }
        for (Map.Entry<String, String> e : flinkSettings.entrySet()) {
            s.append(separator).append(FLINK_PREFIX).append(e.getKey()).append('=')
                    .append(display(e.getKey(), e.getValue()));
            separator = ", ";
        }
        return s.append('}').toString();
    }

    private static String display(String key, String value) {
        return ConfigRegistry.isSensitive(key) ? GlobalConfiguration.HIDDEN_CONTENT : value;
    }

    /** One source of settings and where it came from, for error messages. */
    private static final class Layer {
        private static final ObjectMapper JSON = new ObjectMapper();
        final String origin;
        final Map<String, String> settings;

        Layer(String origin, Map<String, String> settings) {
            this.origin = origin;
            this.settings = settings;
        }

        static Layer fromGroups(String origin, Map<String, Properties> groups) {
            Map<String, String> settings = new LinkedHashMap<>();
            for (Map.Entry<String, Properties> group : groups.entrySet()) {
                for (String property : group.getValue().stringPropertyNames()) {
                    settings.put(group.getKey() + "." + property, group.getValue().getProperty(property));
                }
            }
            return new Layer(origin, settings);
        }

        static Layer fromJsonFile(Path file) {
            String origin = "config file " + file;
            JsonNode root;
            try {
                root = JSON.readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new ConfigException("cannot read " + origin + ": " + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new ConfigException(origin + ": expected a JSON object of groups, "
                        + "e.g. {\"gemini\": {\"model\": \"...\"}}");
            }
            Map<String, String> settings = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> groups = root.fields(); groups.hasNext(); ) {
                Map.Entry<String, JsonNode> group = groups.next();
                if (!group.getValue().isObject()) {
                    throw new ConfigException(origin + ": group '" + group.getKey() + "' must be a JSON object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = group.getValue().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String name = group.getKey() + "." + e.getKey();
                    if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                        throw new ConfigException(name + ": expected a string, number or boolean in " + origin);
                    }
                    settings.put(name, e.getValue().asText());
                }
            }
            return new Layer(origin, settings);
        }
    }
}
