package io.paralleltranslation.deploy;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The configuration keys the job knows, and the one check every deployment definition must pass. */
final class KnownJobKeys {

    // replaced by JobConfig.keys() when the job module lands
    static final Set<String> KNOWN = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
            "kinesis.stream", "kinesis.region", "kinesis.initial-position",
            "dynamodb.table", "dynamodb.region", "dynamodb.quota-scope",
            "gemini.model", "gemini.api-key-secret", "gemini.request-timeout-ms",
            "quota.rpm", "quota.tpm", "quota.rpd", "quota.day-zone", "quota.instances",
            "translate.capacity",
            "output.path",
            "job.checkpoint-interval-ms")));

    private KnownJobKeys() {
    }

    /** The {@code group.key} names in {@code used} that the job does not know, in their order. */
    static List<String> unknownKeys(Collection<String> used, Set<String> known) {
        return used.stream().filter(key -> !known.contains(key)).collect(Collectors.toList());
    }
}
