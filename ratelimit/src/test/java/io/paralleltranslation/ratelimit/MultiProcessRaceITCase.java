package io.paralleltranslation.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs race for one dynalite item, with time running 10 times faster than real time (the
 * workers share a scaled clock): two quota-minutes in 12 real seconds.
 */
class MultiProcessRaceITCase {

    @Test
    void twoProcessesNeverExceedAWindowAndUseTheQuota() throws Exception {
        // Under target/, so that the workers' logs outlive a failure.
        Path dir = Files.createDirectories(Paths.get("target", "race-" + System.currentTimeMillis()));
        RaceRun.Settings settings = new RaceRun.Settings();
        RaceRun.Outcome outcome;
        try (Dynalite dynalite = new Dynalite()) {
            outcome = RaceRun.run(dynalite.endpoint(), Dynalite.TABLE, "gemini#race#model", settings, dir);
        }
        assertThat(outcome.errors).as(outcome.details()).isZero();
        assertThat(outcome.violations()).as(outcome.details()).isZero();
        assertThat(outcome.marginViolations()).as(outcome.details()).isZero();
        assertThat(outcome.utilization()).as(outcome.details()).isGreaterThanOrEqualTo(0.9);
        assertThat(outcome.granted).isEqualTo(outcome.grants.size());
    }
}
