package io.paralleltranslation.job.submit;

import io.paralleltranslation.operators.records.ChunkRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Turns one document into its chunk records (the submit tool's, and the benchmarks' contenders'). */
public final class ChunkRecords {
    private static final DateTimeFormatter RERUN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private ChunkRecords() {}

    /** Everything every chunk of one document shares. */
    public static final class Document {
        public String jobId;
        public String source;
        public String sourceLanguage;
        public String targetLanguage;
        public String model;
        public Map<String, String> glossary;
        public Instant submittedAt;
    }

    public static List<ChunkRecord> build(String text, Document doc, int chunkTokens, int contextTokens) {
        Locale locale = doc.sourceLanguage == null ? Locale.ROOT : Locale.forLanguageTag(doc.sourceLanguage);
        List<int[]> ranges = new Chunker(chunkTokens, locale).split(text);
        List<ChunkRecord> records = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            ChunkRecord r = new ChunkRecord();
            r.jobId = doc.jobId;
            r.chunkIndex = i;
            r.totalChunks = ranges.size();
            r.text = text.substring(ranges.get(i)[0], ranges.get(i)[1]);
            r.previousContext = Chunker.contextBefore(text, ranges.get(i)[0], contextTokens, locale);
            r.sourceLanguage = doc.sourceLanguage;
            r.targetLanguage = doc.targetLanguage;
            r.model = doc.model;
            r.glossary = doc.glossary;
            r.source = doc.source;
            r.submittedAt = doc.submittedAt.toString();
            records.add(r);
        }
        return records;
    }

    /**
     * A readable, unique jobId: the file's name and the target language, then random hex. It
     * always matches {@code ChunkValidator.JOB_ID} (starts with a letter or digit, at most 128
     * characters), whatever the file is called ({@code _index.md}, {@code .notes}, non-ASCII).
     */
    /**
     * The jobId of a rerun of {@code jobId}: a new one (dedup drops a jobId it has seen for a day),
     * {@code <jobId>.rerun-<UTC yyyyMMddHHmmss>-<4 random hex>}, replacing the suffix of an earlier rerun.
     */
    static String rerunJobId(String jobId, Instant now) {
        String base = jobId.replaceFirst("\\.rerun-\\d{14}-[0-9a-f]{4}$", "");
        String suffix = ".rerun-" + RERUN_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 4);
        int room = 128 - suffix.length();
        return (base.length() > room ? base.substring(0, room) : base) + suffix;
    }

    static String newJobId(String fileName, String targetLanguage) {
        String stem = fileName.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[._-]+", "");
        if (stem.isEmpty()) {
            stem = "doc";
        }
        if (stem.length() > 60) {
            stem = stem.substring(0, 60);
        }
        String lang = targetLanguage.replaceAll("[^A-Za-z0-9-]", "_").toLowerCase(Locale.ROOT);
        if (lang.length() > 40) {
            lang = lang.substring(0, 40);
        }
        return stem + "." + lang + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
