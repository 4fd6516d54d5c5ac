package io.paralleltranslation.job.submit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Puts records with batched {@code PutRecords} (at most 500 records and {@value #TARGET_BYTES_PER_CALL}
 * bytes a call, or one larger record alone; Kinesis allows 500 records and 5 MiB) and retries
 * only the entries Kinesis refused, with exponential backoff, until every record is on the stream
 * or the attempts run out.
 */
public final class RecordPublisher {
    static final int MAX_RECORDS_PER_CALL = 500;
    /**
     * Well under Kinesis's 5 MiB a call: the job can read a call's records only once the whole call
     * returned, so a document goes in several calls of about 18 chunks (at the default 3,500-token
     * budget) and its first chunks are translated while the rest is still being put. Measured on
     * kinesis-local: one call of 60 chunks (840 KB) returned after 0.5-1.6 s, six calls of 10 in
     * 0.26-0.56 s together. On Kinesis a call costs tens of milliseconds, and PutRecords is billed by
     * 25 KB payload units, not by call.
     */
    static final long TARGET_BYTES_PER_CALL = 256L * 1024;
    static final long MAX_BYTES_PER_RECORD = 1024L * 1024;

    /** The one SDK call used, so tests can refuse entries without a network. */
    @FunctionalInterface
    public interface PutRecordsCall {
        PutRecordsResponse putRecords(PutRecordsRequest request);
    }

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** A record to put. */
    public static final class Entry {
        final String partitionKey;
        final byte[] data;

        public Entry(String partitionKey, byte[] data) {
            this.partitionKey = partitionKey;
            this.data = data;
        }

        long size() {
            return data.length + partitionKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
    }

    /** Some records were still refused after the last attempt. */
    public static final class PublishException extends Exception {
        private static final long serialVersionUID = 1L;

        PublishException(String message) {
            super(message);
        }
    }

    private final PutRecordsCall kinesis;
    private final String stream;
    private final int maxAttempts;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final Sleeper sleeper;

    public RecordPublisher(PutRecordsCall kinesis, String stream, int maxAttempts, Duration backoffBase,
            Duration backoffCap, Sleeper sleeper) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.maxAttempts = maxAttempts;
        this.backoffBase = backoffBase;
        this.backoffCap = backoffCap;
        this.sleeper = sleeper;
    }

    /**
     * Puts every entry; {@code progress} hears the running count of records on the stream.
     *
     * @throws PublishException naming the positions (in {@code entries}) still refused
     */
    public void publish(List<Entry> entries, IntConsumer progress) throws PublishException, InterruptedException {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).size() > MAX_BYTES_PER_RECORD) {
                throw new IllegalArgumentException("record " + i + " is " + entries.get(i).size()
                        + " bytes, over Kinesis's 1 MiB per record: use a smaller chunk budget");
            }
        }
        int done = 0;
        int from = 0;
        while (from < entries.size()) {
            int to = from;
            long bytes = 0;
            while (to < entries.size() && to - from < MAX_RECORDS_PER_CALL
                    && (to == from || bytes + entries.get(to).size() <= TARGET_BYTES_PER_CALL)) {
                bytes += entries.get(to).size();
                to++;
            }
            putBatch(entries, from, to);
            done += to - from;
            progress.accept(done);
            from = to;
        }
    }

    private void putBatch(List<Entry> entries, int from, int to) throws PublishException, InterruptedException {
        List<Integer> pending = new ArrayList<>();
        for (int i = from; i < to; i++) {
            pending.add(i);
        }
        Map<String, Integer> lastErrors = new TreeMap<>();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                sleeper.sleep(backoff(attempt - 1));
            }
            List<PutRecordsRequestEntry> request = new ArrayList<>();
            for (int i : pending) {
                request.add(PutRecordsRequestEntry.builder().partitionKey(entries.get(i).partitionKey)
                        .data(SdkBytes.fromByteArray(entries.get(i).data)).build());
            }
            PutRecordsRequest.Builder call = PutRecordsRequest.builder().records(request);
            if (stream.startsWith("arn:")) {
                call.streamARN(stream);
            } else {
                call.streamName(stream);
            }
            List<PutRecordsResultEntry> results = kinesis.putRecords(call.build()).records();
            List<Integer> refused = new ArrayList<>();
            lastErrors.clear();
            for (int k = 0; k < results.size(); k++) {
                String error = results.get(k).errorCode();
                if (error != null) {
                    refused.add(pending.get(k));
                    lastErrors.merge(error, 1, Integer::sum);
                }
            }
            if (refused.isEmpty()) {
                return;
            }
            pending = refused;
        }
        throw new PublishException(pending.size() + " records still refused after " + maxAttempts
                + " attempts (" + lastErrors + "), at positions " + pending);
    }

    /** Exponential: base, 2 base, 4 base, ... never above the cap. */
    Duration backoff(int retry) {
        long millis = backoffBase.toMillis() << Math.min(retry - 1, 20);
        return Duration.ofMillis(Math.min(millis, backoffCap.toMillis()));
    }
}
