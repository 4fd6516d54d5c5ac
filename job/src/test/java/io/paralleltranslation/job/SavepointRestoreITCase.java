package io.paralleltranslation.job;

import static io.paralleltranslation.job.JobRuns.CHUNK_TOKENS;
import static io.paralleltranslation.job.JobRuns.LANG;
import static io.paralleltranslation.job.JobRuns.await;
import static io.paralleltranslation.job.JobRuns.chunks;
import static io.paralleltranslation.job.JobRuns.document;
import static io.paralleltranslation.job.JobRuns.expectedTranslation;
import static io.paralleltranslation.job.JobRuns.start;
import static io.paralleltranslation.job.JobRuns.textOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.gemini.emulator.EmulatorStats;
import io.paralleltranslation.gemini.emulator.GeminiEmulator;
import io.paralleltranslation.gemini.emulator.LatencyModel;
import io.paralleltranslation.gemini.emulator.QuotaLimits;
import io.paralleltranslation.job.JobRuns.Outputs;
import io.paralleltranslation.job.submit.Submissions;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.JobOutcome;
import io.paralleltranslation.operators.records.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts do not count (issue 8): the job is stopped with a savepoint while documents wait, stays
 * down longer than the timer that would report them, and is restored. Its own MiniCluster and
 * stand-ins, so no other test's jobs, streams or tables share its run.
 */
class SavepointRestoreITCase {
    private static final Logger LOG = LoggerFactory.getLogger(SavepointRestoreITCase.class);
    private static final int RPM = 8;
    /** Four documents of 5 chunks and the late one of 4. */
    private static final int CHUNKS = 4 * 5 + 4;
    /** Longer than the late document waits before the stop (its results, the submission, the stop). */
    private static final Duration INACTIVITY = Duration.ofSeconds(20);
    private static final Duration DOWNTIME = INACTIVITY.plusSeconds(5);

    @RegisterExtension
    static final JobStandIns STAND_INS = new JobStandIns();

    @TempDir
    Path dir;

    /**
     * At the savepoint two kinds of open document: four whose chunks wait for quota in the async
     * queue (the backstop's case), and one whose last chunk is not put yet while all its other
     * chunks have their results (nothing in translation: the inactivity timer's case, here
     * {@code translate.inactivity-timeout} 20 s). Down for 25 s, longer than that timer; restored,
     * the last chunk is put a few seconds later: nothing was reported for the downtime, every
     * document completes once, and the emulator saw one call per chunk. (The backstop cannot be set below a day, so its case, time with
     * chunks in translation, is only shown not to report here; ReassembleDocumentFunctionTest moves
     * the clock past it.)
     */
    @Test
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void aRestoreFromASavepointReportsNothingForTheDowntime() throws Exception {
        KinesisStandIn kinesis = STAND_INS.kinesis();
        try (GeminiEmulator limited = GeminiEmulator.builder().apiKey(JobStandIns.API_KEY)
                .limits(new QuotaLimits(RPM, 10_000_000, 1_000_000)).latency(LatencyModel.fixed(200)).start()) {
            String arn = kinesis.createStream("restore", 2);
            Map<String, String> settings = STAND_INS.settings(dir, arn, "restore", 2, 10);
            settings.put("gemini.base-url", limited.baseUrl());
            settings.put("quota.rpm", Integer.toString(RPM));
            settings.put("quota.tpm", "10000000");
            settings.put("quota.rpd", "1000000");
            settings.put("translate.inactivity-timeout", INACTIVITY.toSeconds() + "s");

            List<ChunkRecord> late = chunks("restore-late", 4);
            JobClient first = start(settings, TranslationJob.operatorStages());
            List<String> jobIds;
            String savepoint;
            try {
                Submissions.putChunks(kinesis.client(), arn, late.subList(0, 3));
                await(settings, first, o -> limited.stats().requests >= 3, Duration.ofSeconds(60));
                List<String> args = new ArrayList<>(Arrays.asList("--stream", arn, "--endpoint", kinesis.endpoint(),
                        "--target-lang", LANG, "--chunk-tokens", Integer.toString(CHUNK_TOKENS)));
                for (int d = 0; d < 4; d++) {
                    args.add(Files.writeString(dir.resolve("r" + d + ".md"), document("r" + d, 5)).toString());
                }
                jobIds = Submissions.submit(args.toArray(new String[0]));
                // The first quota minute's 8 calls are spent (3 of them on the late document); the other
                // chunks wait in the async queue for the next minute. Stop once they are all there.
                await(settings, first, o -> limited.stats().requests >= RPM
                        && o.statuses.stream().filter(s -> s.outcome == JobOutcome.ACCEPTED).count() >= 5,
                        Duration.ofSeconds(60));
                // Results of the first minute committed, so the savepoint holds some.
                Thread.sleep(2_000);
            } finally {
                savepoint = JobRuns.stopWithSavepoint(first, dir.resolve("savepoints"));
            }
            Outputs before = JobRuns.read(JobRuns.outputDirectory(settings));
            LOG.info("Stopped with savepoint {} after {} calls; down for {}", savepoint, limited.stats().requests,
                    DOWNTIME);
            Thread.sleep(DOWNTIME.toMillis());

            settings.put("flink.execution.savepoint.path", savepoint);
            JobClient second = start(settings, TranslationJob.operatorStages());
            Outputs out;
            try {
                // Timers restored past their time fire at once: give them time to (wrongly) report.
                JobRuns.keepRunning(second, Duration.ofSeconds(5));
                Submissions.putChunks(kinesis.client(), arn, late.subList(3, 4));
                out = await(settings, second, o -> o.finals().size() >= 5, Duration.ofSeconds(220));
            } finally {
                second.cancel().get(30, TimeUnit.SECONDS);
            }

            EmulatorStats stats = limited.stats();
            LOG.info("Restore run: {} calls for {} chunks, statuses {}", stats.requests, CHUNKS, stats.byStatus);
            assertThat(before.finals().values()).as("reported before the stop")
                    .allSatisfy(s -> assertThat(s.outcome).isEqualTo(JobOutcome.COMPLETE));
            assertThat(out.statuses).as("nothing reported INCOMPLETE or FAILED, before or after the downtime")
                    .noneMatch(s -> s.outcome == JobOutcome.INCOMPLETE || s.outcome == JobOutcome.FAILED);
            Map<String, JobStatus> finals = out.finals();
            for (String jobId : jobIds) {
                assertThat(finals.get(jobId).outcome).as(jobId).isEqualTo(JobOutcome.COMPLETE);
            }
            assertThat(finals.get("restore-late").outcome).isEqualTo(JobOutcome.COMPLETE);
            assertThat(out.documents.get("restore-late")).isEqualTo(expectedTranslation(textOf(late)));
            assertThat(stats.count(429)).isZero();
            assertThat(stats.requests).as("calls: none paid again across the stop and the restore").isEqualTo(CHUNKS);
        }
    }
}
