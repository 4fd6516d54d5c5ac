package io.paralleltranslation.deploy;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.paralleltranslation.job.config.ConfigKey;
import io.paralleltranslation.job.config.JobConfig;

/** The job's configuration keys, read from its code, and the check every deployment definition must pass. */
final class JobKeys {

    /** Every {@code group.key} the job knows ({@link JobConfig#keys()}). */
    static final Set<String> KNOWN = Collections.unmodifiableSet(new LinkedHashSet<>(
            JobConfig.keys().stream().map(ConfigKey::name).collect(Collectors.toList())));

    /** The keys every deployment sets: the job's required keys and the ones an environment decides. */
    static final Set<String> DEPLOYED = Collections.unmodifiableSet(new LinkedHashSet<>(names(
            JobConfig.KINESIS_STREAM, JobConfig.KINESIS_REGION, JobConfig.KINESIS_INITIAL_POSITION,
            JobConfig.DYNAMODB_TABLE, JobConfig.DYNAMODB_REGION, JobConfig.DYNAMODB_QUOTA_SCOPE,
            JobConfig.CACHE_TABLE, JobConfig.GEMINI_MODEL, JobConfig.GEMINI_API_KEY_SOURCE, JobConfig.GEMINI_REQUEST_TIMEOUT,
            JobConfig.QUOTA_RPM, JobConfig.QUOTA_TPM, JobConfig.QUOTA_RPD, JobConfig.QUOTA_DAY_ZONE,
            JobConfig.QUOTA_INSTANCES, JobConfig.TRANSLATE_CAPACITY, JobConfig.OUTPUT_PATH,
            JobConfig.JOB_CHECKPOINT_INTERVAL)));

    private JobKeys() {
    }

    /** The {@code group.key} names in {@code used} that the job does not know, in their order. */
    static List<String> unknownKeys(Collection<String> used) {
        return used.stream().filter(key -> !KNOWN.contains(key)).collect(Collectors.toList());
    }

    private static List<String> names(ConfigKey<?>... keys) {
        return Arrays.stream(keys).map(ConfigKey::name).collect(Collectors.toList());
    }
}
