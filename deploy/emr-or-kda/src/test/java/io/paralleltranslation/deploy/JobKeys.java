package io.paralleltranslation.deploy;

import io.paralleltranslation.job.config.CacheOptions;
import io.paralleltranslation.job.config.ConfigRegistry;
import io.paralleltranslation.job.config.DynamoDbOptions;
import io.paralleltranslation.job.config.GeminiOptions;
import io.paralleltranslation.job.config.JobOptions;
import io.paralleltranslation.job.config.KinesisOptions;
import io.paralleltranslation.job.config.OutputOptions;
import io.paralleltranslation.job.config.QuotaOptions;
import io.paralleltranslation.job.config.TranslateOptions;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;

/** The job's configuration keys, read from its code, and the check every deployment definition must pass. */
final class JobKeys {

    /** Every {@code group.key} the job knows ({@link ConfigRegistry#options()}). */
    static final Set<String> KNOWN = Collections.unmodifiableSet(new LinkedHashSet<>(
            ConfigRegistry.options().stream().map(ConfigOption::key).collect(Collectors.toList())));

    /** The keys every deployment sets: the job's required keys and the ones an environment decides. */
    static final Set<String> DEPLOYED = Collections.unmodifiableSet(new LinkedHashSet<>(names(
            KinesisOptions.STREAM, KinesisOptions.REGION, KinesisOptions.INITIAL_POSITION,
            DynamoDbOptions.TABLE, DynamoDbOptions.REGION, DynamoDbOptions.QUOTA_SCOPE,
            CacheOptions.TABLE, GeminiOptions.MODEL, GeminiOptions.API_KEY_SOURCE, GeminiOptions.REQUEST_TIMEOUT,
            QuotaOptions.RPM, QuotaOptions.TPM, QuotaOptions.RPD, QuotaOptions.DAY_ZONE,
            QuotaOptions.INSTANCES, TranslateOptions.CAPACITY, OutputOptions.PATH,
            JobOptions.CHECKPOINT_INTERVAL)));

    private JobKeys() {
    }

    /** The {@code group.key} names in {@code used} that the job does not know, in their order. */
    static List<String> unknownKeys(Collection<String> used) {
        return used.stream().filter(key -> !KNOWN.contains(key)).collect(Collectors.toList());
    }

    private static List<String> names(ConfigOption<?>... options) {
        return Arrays.stream(options).map(ConfigOption::key).collect(Collectors.toList());
    }

    /** The {@code group.key} names of a property-group map. */
    static Set<String> fullKeys(Map<String, Map<String, String>> groups) {
        Set<String> keys = new TreeSet<>();
        groups.forEach((group, properties) -> properties.keySet().forEach(k -> keys.add(group + "." + k)));
        return keys;
    }

    /** The property groups as flat {@code group.key} settings, the shape {@code JobConfig.of} reads. */
    static Map<String, String> flatten(Map<String, Map<String, String>> groups) {
        Map<String, String> flat = new LinkedHashMap<>();
        groups.forEach((group, properties) -> properties.forEach((k, v) -> flat.put(group + "." + k, v)));
        return flat;
    }
}
