package io.paralleltranslation.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedQuotaLimitersTest {
    private final AtomicInteger built = new AtomicInteger();

    private QuotaLimiter build() {
        built.incrementAndGet();
        return WindowQuotaLimiter.builder(new InMemoryQuotaStore(), QuotaConfig.builder("gemini#shared#m")
                .requestsPerMinute(2).inputTokensPerMinute(100).requestsPerDay(100).build()).build();
    }

    @Test
    void callersOfOneKeyShareOneLimiterUntilTheLastLetsGo() throws Exception {
        QuotaLimiter first = SharedQuotaLimiters.get("k", this::build);
        QuotaLimiter second = SharedQuotaLimiters.get("k", this::build);
        assertThat(built).hasValue(1);

        Grant grant = first.acquire(10).get(10, TimeUnit.SECONDS).grant().orElseThrow();
        assertThat(second.acquire(10).get(10, TimeUnit.SECONDS).isGranted()).isTrue();
        assertThat(second.acquire(10).get(10, TimeUnit.SECONDS).limitedBy()).contains(QuotaDimension.REQUESTS_PER_MINUTE);
        second.reconcile(grant, 5).get(10, TimeUnit.SECONDS);
        second.pushback(grant.grantedAt()).get(10, TimeUnit.SECONDS);
        assertThat(second.inFallback()).isFalse();

        first.close();
        first.close();
        assertThatThrownBy(() -> first.acquire(1)).isInstanceOf(IllegalStateException.class);
        assertThat(second.acquire(1).get(10, TimeUnit.SECONDS).isGranted()).isFalse();
        second.close();

        try (QuotaLimiter fresh = SharedQuotaLimiters.get("k", this::build)) {
            assertThat(built).hasValue(2);
            assertThat(fresh.acquire(1).get(10, TimeUnit.SECONDS).isGranted()).isTrue();
        }
    }
}
