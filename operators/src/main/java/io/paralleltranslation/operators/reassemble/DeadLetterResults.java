package io.paralleltranslation.operators.reassemble;

import io.paralleltranslation.operators.records.DeadLetter;
import io.paralleltranslation.operators.records.TranslatedChunk;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A dead letter that names its job and chunk becomes a FAILED result of that chunk, with the dead
 * letter's reason, so its document is reported FAILED at once instead of waiting to be found
 * incomplete. Dead letters without a jobId or chunkIndex (e.g. records that are not JSON) belong to
 * no document and only go to the dead-letter output.
 */
public class DeadLetterResults implements FlatMapFunction<DeadLetter, TranslatedChunk> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(DeadLetter deadLetter, Collector<TranslatedChunk> out) {
        if (deadLetter.jobId != null && deadLetter.chunkIndex != null && deadLetter.chunkIndex >= 0) {
            out.collect(TranslatedChunk.ofDeadLetter(deadLetter));
        }
    }
}
