package io.paralleltranslation.operators.parse;

import io.paralleltranslation.operators.metrics.MetricNames;
import io.paralleltranslation.operators.metrics.OperatorMetrics;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.DeadLetter;
import io.paralleltranslation.operators.records.OutputTags;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 1: parses and validates raw Kinesis records. Valid chunks go to the main output; every
 * other record goes whole to {@link OutputTags#DEAD_LETTERS} with the reason, so a bad record
 * neither crashes the job nor disappears.
 */
public class ParseChunkFunction extends ProcessFunction<byte[], ChunkRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseChunkFunction.class);
    public static final String STAGE = "parse";

    private final ChunkValidator validator;
    private transient Counter deadLetters;

    /** Default limits ({@link ChunkValidator#DEFAULT_MAX_TEXT_CHARS}, {@link ChunkValidator#DEFAULT_MAX_TOTAL_CHUNKS}). */
    public ParseChunkFunction() {
        this(new ChunkValidator());
    }

    public ParseChunkFunction(ChunkValidator validator) {
        this.validator = validator;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetters = OperatorMetrics.group(getRuntimeContext().getMetricGroup())
                .counter(MetricNames.DEAD_LETTERS_PARSE);
    }

    @Override
    public void processElement(byte[] raw, Context ctx, Collector<ChunkRecord> out) {
        ChunkValidator.Result result = validator.validate(raw);
        if (result.isValid()) {
            out.collect(result.record());
            return;
        }
        LOG.info("Dead-lettered a record (jobId={}, chunkIndex={}): {}", result.jobId(), result.chunkIndex(),
                result.reason());
        deadLetters.inc();
        ctx.output(OutputTags.DEAD_LETTERS, DeadLetter.of(STAGE, result.reason(), raw,
                ctx.timerService().currentProcessingTime(), result.jobId(), result.chunkIndex()));
    }
}
