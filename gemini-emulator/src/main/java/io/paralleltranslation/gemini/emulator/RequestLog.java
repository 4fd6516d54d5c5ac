package io.paralleltranslation.gemini.emulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the emulator saw and answered: the request log and the counters {@link EmulatorStats} reports. */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);

    private final List<RequestLogEntry> entries = new ArrayList<>();
    private final Map<String, Integer> quotaIdCounts = new HashMap<>();
    private int countTokensRequests;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    /** Model calls answered (and counted as paid) whose answer could not be written: the client was gone. */
    private final AtomicInteger undelivered = new AtomicInteger();

    void record(RequestLogEntry entry) {
        LOG.debug("Gemini emulator answered {}", entry);
        synchronized (this) {
            entries.add(entry);
        }
    }

    synchronized void countTokensRequest() {
        countTokensRequests++;
    }

    /** A 429 naming this quota id (a 429 naming two limits counts for both). */
    synchronized void quotaExceeded(String quotaId) {
        quotaIdCounts.merge(quotaId, 1, Integer::sum);
    }

    void callStarted() {
        maxConcurrent.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    void callEnded() {
        inFlight.decrementAndGet();
    }

    void undelivered() {
        undelivered.incrementAndGet();
    }

    synchronized EmulatorStats stats() {
        return new EmulatorStats(entries, countTokensRequests, quotaIdCounts, maxConcurrent.get(), undelivered.get());
    }
}
