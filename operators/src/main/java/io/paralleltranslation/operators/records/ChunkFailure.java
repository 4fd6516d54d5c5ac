package io.paralleltranslation.operators.records;

/** One failed chunk of a job, as its status report lists it. A Flink POJO. */
public class ChunkFailure {
    public int chunkIndex;
    public String reason;

    public ChunkFailure() {}

    public ChunkFailure(int chunkIndex, String reason) {
        this.chunkIndex = chunkIndex;
        this.reason = reason;
    }

    @Override
    public String toString() {
        return chunkIndex + ": " + reason;
    }
}
