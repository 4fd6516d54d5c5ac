package io.paralleltranslation.operators.records;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One chunk of a document, as the submit tool puts it on Kinesis (JSON, see
 * {@code docs/chunk-record.schema.json}). A Flink POJO: public fields and a no-arg constructor, so
 * Flink serializes it without Kryo.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ChunkRecord {
    /** The version of this record's shape; readers reject versions they do not know. */
    public static final int CURRENT_SCHEMA_VERSION = 1;

    public int schemaVersion = CURRENT_SCHEMA_VERSION;
    public String jobId;
    /** 0-based position of this chunk in its document. */
    public int chunkIndex;
    public int totalChunks;
    public String text;
    /** Source text just before this chunk (about 250 tokens): context only, never translated. */
    public String previousContext;
    /** Optional: Gemini detects the source language when absent. */
    public String sourceLanguage;
    public String targetLanguage;
    /** Optional: overrides the job's default Gemini model. */
    public String model;
    /** Optional: source term to required translation. */
    @TypeInfo(StringMapTypeInfoFactory.class)
    public Map<String, String> glossary;
    /** Document name, for people reading the output. */
    public String source;
    /** ISO-8601 instant the submit tool created the record. */
    public String submittedAt;

    public ChunkRecord() {}

    /**
     * SHA-256 (hex) of everything that decides this chunk's translation and its place in the
     * document: two records of one job and index with the same digest are a producer's retry, with
     * different digests a conflict. {@code source} and {@code submittedAt} are left out, so a
     * resubmission of the same text under the same jobId stays a silent duplicate.
     */
    public String contentDigest() {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        Map<String, String> sortedGlossary = glossary == null ? null : new TreeMap<>(glossary);
        for (Object field : new Object[] {schemaVersion, totalChunks, text, previousContext, sourceLanguage,
                targetLanguage, model, sortedGlossary}) {
            // Length-prefixed, so no two field lists encode alike.
            byte[] bytes = String.valueOf(field).getBytes(StandardCharsets.UTF_8);
            sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(field == null ? -1 : bytes.length).array());
            sha256.update(bytes);
        }
        StringBuilder hex = new StringBuilder(64);
        for (byte b : sha256.digest()) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    /** Kinesis partition key: spreads one job's chunks over shards. */
    public String partitionKey() {
        return jobId + "#" + chunkIndex;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ChunkRecord)) {
            return false;
        }
        ChunkRecord that = (ChunkRecord) o;
        return schemaVersion == that.schemaVersion
                && chunkIndex == that.chunkIndex
                && totalChunks == that.totalChunks
                && Objects.equals(jobId, that.jobId)
                && Objects.equals(text, that.text)
                && Objects.equals(previousContext, that.previousContext)
                && Objects.equals(sourceLanguage, that.sourceLanguage)
                && Objects.equals(targetLanguage, that.targetLanguage)
                && Objects.equals(model, that.model)
                && Objects.equals(glossary, that.glossary)
                && Objects.equals(source, that.source)
                && Objects.equals(submittedAt, that.submittedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, chunkIndex, totalChunks, text);
    }

    @Override
    public String toString() {
        return "ChunkRecord{jobId=" + jobId + ", chunk=" + chunkIndex + "/" + totalChunks
                + ", source=" + source + ", chars=" + (text == null ? 0 : text.length()) + "}";
    }
}
