package io.paralleltranslation.job.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

class RecordPublisherTest {

    /** Refuses an entry while {@code refuse} says so; counts how often each key was sent. */
    private static final class FakeKinesis implements RecordPublisher.PutRecordsCall {
        final List<PutRecordsRequest> calls = new ArrayList<>();
        final Map<String, Integer> sends = new HashMap<>();
        final List<String> accepted = new ArrayList<>();
        private final Predicate<String> refuse;

        FakeKinesis(Predicate<String> refuse) {
            this.refuse = refuse;
        }

        @Override
        public PutRecordsResponse putRecords(PutRecordsRequest request) {
            calls.add(request);
            List<PutRecordsResultEntry> results = new ArrayList<>();
            int failed = 0;
            for (PutRecordsRequestEntry e : request.records()) {
                int n = sends.merge(e.partitionKey(), 1, Integer::sum);
                if (refuse.test(e.partitionKey() + "@" + n)) {
                    failed++;
                    results.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("slow down").build());
                } else {
                    accepted.add(e.partitionKey());
                    results.add(PutRecordsResultEntry.builder().shardId("shardId-0").sequenceNumber("1").build());
                }
            }
            return PutRecordsResponse.builder().failedRecordCount(failed).records(results).build();
        }
    }

    private final List<Duration> sleeps = new ArrayList<>();

    private RecordPublisher publisher(FakeKinesis kinesis) {
        return new RecordPublisher(kinesis, "arn:aws:kinesis:us-east-1:000000000000:stream/s", 4,
                Duration.ofMillis(100), Duration.ofMillis(250), sleeps::add);
    }

    private static List<RecordPublisher.Entry> entries(int count, int bytes) {
        List<RecordPublisher.Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(new RecordPublisher.Entry("job#" + i, new byte[bytes]));
        }
        return entries;
    }

    @Test
    void retriesOnlyTheRefusedEntries() throws Exception {
        // job#1 and job#3 are refused on their first send, job#3 on its second too.
        FakeKinesis kinesis = new FakeKinesis(k -> k.equals("job#1@1") || k.startsWith("job#3@1") || k.equals("job#3@2"));
        publisher(kinesis).publish(entries(5, 10), done -> { });

        assertThat(kinesis.calls).hasSize(3);
        assertThat(kinesis.calls.get(1).records()).extracting(PutRecordsRequestEntry::partitionKey)
                .containsExactly("job#1", "job#3");
        assertThat(kinesis.calls.get(2).records()).extracting(PutRecordsRequestEntry::partitionKey)
                .containsExactly("job#3");
        assertThat(kinesis.accepted).containsExactlyInAnyOrder("job#0", "job#1", "job#2", "job#3", "job#4");
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(kinesis.calls.get(0).streamARN()).endsWith("stream/s");
    }

    @Test
    void givesUpAfterTheLastAttemptNamingWhatIsMissing() {
        FakeKinesis kinesis = new FakeKinesis(k -> k.startsWith("job#2@"));

        assertThatThrownBy(() -> publisher(kinesis).publish(entries(3, 10), done -> { }))
                .isInstanceOf(RecordPublisher.PublishException.class)
                .hasMessageContaining("1 records still refused after 4 attempts")
                .hasMessageContaining("ProvisionedThroughputExceededException")
                .hasMessageContaining("[2]");
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
    }

    @Test
    void batchesAtMost500RecordsACall() throws Exception {
        FakeKinesis kinesis = new FakeKinesis(k -> false);
        List<Integer> progress = new ArrayList<>();
        publisher(kinesis).publish(entries(1_201, 10), progress::add);

        assertThat(kinesis.calls).extracting(c -> c.records().size()).containsExactly(500, 500, 201);
        assertThat(progress).containsExactly(500, 1_000, 1_201);
    }

    @Test
    void batchesAboutAQuarterMebibyteACallSoTheFirstChunksAreReadableEarly() throws Exception {
        FakeKinesis kinesis = new FakeKinesis(k -> false);
        List<Integer> progress = new ArrayList<>();
        // 60 chunks of about 14 KB: a 400K-word document at the default budget.
        publisher(kinesis).publish(entries(60, 14_000), progress::add);

        for (PutRecordsRequest call : kinesis.calls) {
            assertThat(bytes(call)).isLessThanOrEqualTo(256L * 1024);
        }
        assertThat(kinesis.calls).extracting(c -> c.records().size()).containsExactly(18, 18, 18, 6);
        assertThat(progress).containsExactly(18, 36, 54, 60);
    }

    @Test
    void aRecordLargerThanTheTargetGoesAloneAndNoCallExceedsFiveMebibytes() throws Exception {
        FakeKinesis kinesis = new FakeKinesis(k -> false);
        publisher(kinesis).publish(entries(3, 1_000_000), done -> { });

        assertThat(kinesis.calls).extracting(c -> c.records().size()).containsExactly(1, 1, 1);
        for (PutRecordsRequest call : kinesis.calls) {
            assertThat(bytes(call)).isLessThanOrEqualTo(5L * 1024 * 1024);
        }
    }

    private static long bytes(PutRecordsRequest call) {
        return call.records().stream().mapToLong(e -> e.data().asByteArray().length
                + e.partitionKey().getBytes(StandardCharsets.UTF_8).length).sum();
    }

    @Test
    void refusesARecordOverOneMebibyteBeforePuttingAnything() {
        FakeKinesis kinesis = new FakeKinesis(k -> false);

        assertThatThrownBy(() -> publisher(kinesis).publish(entries(1, 1_100_000), done -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 MiB");
        assertThat(kinesis.calls).isEmpty();
    }
}
