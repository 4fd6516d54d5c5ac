package io.paralleltranslation.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.job.KinesisStandIn;
import io.paralleltranslation.job.config.JobConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;

class KinesisSourceITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @RegisterExtension
    static final KinesisStandIn KINESIS = new KinesisStandIn();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readsEveryRecordPutOnEveryShard() throws Exception {
        String arn = KINESIS.createStream("chunks-source", 2);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = "{\"n\":" + i + ",\"text\":\"Grüße 你好 " + i + "\"}";
            sent.add(body);
            KINESIS.client().putRecord(b -> b.streamARN(arn).partitionKey("job#" + body.length() + body.hashCode())
                    .data(SdkBytes.fromString(body, StandardCharsets.UTF_8)));
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("kinesis.stream", arn);
        settings.put("kinesis.endpoint", KINESIS.endpoint());
        settings.put("kinesis.credentials-provider", "BASIC");
        settings.put("kinesis.initial-position", "TRIM_HORIZON");
        settings.put("kinesis.shard-discovery-interval", "1s");
        settings.put("output.path", "unused");
        JobConfig config = JobConfig.of(settings);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<String> received = new ArrayList<>();
        for (byte[] record : KinesisSourceFactory.addTo(env, config).executeAndCollect(sent.size())) {
            received.add(new String(record, StandardCharsets.UTF_8));
        }

        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }
}
