package io.paralleltranslation.job.bench;

import com.google.genai.Client;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Part;
import com.google.genai.types.ThinkingConfig;
import io.paralleltranslation.job.submit.ChunkRecords;
import io.paralleltranslation.operators.gemini.GeminiPrompt;
import io.paralleltranslation.operators.gemini.TranslationRequest;
import io.paralleltranslation.operators.records.ChunkRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The contender this project replaces, for {@code bench/compare.sh}: the same chunks (the submit
 * tool's chunker and context) and the same prompt, sent by {@code threads} worker threads with the
 * google-genai SDK as a team would first write it: default client options (so the SDK's own retries
 * with backoff on 429 and 5xx), no shared quota, no pacing. A chunk whose call still fails after the
 * SDK's retries is FAILED. Writes one JSON line per chunk to {@code --out} (document, index, start
 * and end millis, ok, error), prints {@code DOCUMENT_SECONDS s1,s2,...} (each document's time from
 * the start to its last chunk, NaN for one with a failed chunk, in the order given) and then
 * {@code RESULT naive chunks= failed= wall_s=}.
 *
 * <pre>
 * NaiveParallelTranslator --base-url URL --api-key K [--model M] [--threads 10] [--chunk-tokens 3500]
 *                         [--target-lang de] --out FILE DOC...
 * </pre>
 */
public final class NaiveParallelTranslator {
    private NaiveParallelTranslator() {}

    public static void main(String[] args) throws Exception {
        String baseUrl = null;
        String apiKey = "bench-key";
        String model = "gemini-2.5-flash";
        int threads = 10;
        int chunkTokens = 3500;
        String target = "de";
        Path out = null;
        List<Path> docs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--base-url": baseUrl = args[++i]; break;
                case "--api-key": apiKey = args[++i]; break;
                case "--model": model = args[++i]; break;
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                case "--chunk-tokens": chunkTokens = Integer.parseInt(args[++i]); break;
                case "--target-lang": target = args[++i]; break;
                case "--out": out = Paths.get(args[++i]); break;
                default: docs.add(Paths.get(args[i]));
            }
        }
        if (baseUrl == null || out == null || docs.isEmpty()) {
            System.err.println("naive: --base-url, --out and at least one DOC are required");
            System.exit(2);
        }
        List<ChunkRecord> chunks = new ArrayList<>();
        for (Path doc : docs) {
            ChunkRecords.Document d = new ChunkRecords.Document();
            d.jobId = doc.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
            d.source = doc.getFileName().toString();
            d.targetLanguage = target;
            d.submittedAt = Instant.now();
            chunks.addAll(ChunkRecords.build(Files.readString(doc, StandardCharsets.UTF_8), d, chunkTokens, 250));
        }
        // The SDK's defaults, as a first version would have them; only the endpoint points at the emulator.
        Client client = Client.builder().apiKey(apiKey).vertexAI(false)
                .httpOptions(HttpOptions.builder().baseUrl(baseUrl).apiVersion("v1beta").build()).build();
        String modelId = model;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.currentTimeMillis();
        List<Future<String>> lines = new ArrayList<>();
        for (ChunkRecord chunk : chunks) {
            lines.add(pool.submit(() -> translate(client, modelId, chunk)));
        }
        int failed = 0;
        Map<String, Double> documentSeconds = new LinkedHashMap<>();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            for (int i = 0; i < chunks.size(); i++) {
                String l = lines.get(i).get();
                boolean ok = !l.contains("\"ok\":false");
                failed += ok ? 0 : 1;
                w.println(l);
                long end = Long.parseLong(l.replaceAll(".*\"endMillis\":(\\d+).*", "$1"));
                double seconds = ok ? (end - start) / 1000.0 : Double.NaN;
                documentSeconds.merge(chunks.get(i).jobId, seconds, Math::max);
            }
        }
        System.out.println("DOCUMENT_SECONDS " + documentSeconds.values().stream()
                .map(d -> String.format(Locale.ROOT, "%.1f", d)).collect(Collectors.joining(",")));
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        client.close();
        System.out.printf(Locale.ROOT, "RESULT naive chunks=%d failed=%d wall_s=%.1f%n", chunks.size(), failed,
                (System.currentTimeMillis() - start) / 1000.0);
    }

    private static String translate(Client client, String model, ChunkRecord chunk) {
        GeminiPrompt prompt = GeminiPrompt.of(new TranslationRequest(model, chunk.text, chunk.previousContext,
                chunk.sourceLanguage, chunk.targetLanguage, chunk.glossary));
        GenerateContentConfig config = GenerateContentConfig.builder()
                .systemInstruction(Content.fromParts(Part.fromText(prompt.systemInstruction())))
                .temperature(0.2f)
                .thinkingConfig(ThinkingConfig.builder().thinkingBudget(0).build())
                .build();
        long begin = System.currentTimeMillis();
        String error = null;
        try {
            GenerateContentResponse response = client.models.generateContent(model,
                    Content.builder().role("user").parts(Part.fromText(prompt.userMessage())).build(), config);
            if (response.text() == null || response.text().isEmpty()) {
                error = "empty answer";
            }
        } catch (RuntimeException e) {
            error = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
        }
        long end = System.currentTimeMillis();
        return String.format(Locale.ROOT,
                "{\"document\":\"%s\",\"index\":%d,\"startMillis\":%d,\"endMillis\":%d,\"ok\":%b,\"error\":%s}",
                chunk.jobId, chunk.chunkIndex, begin, end, error == null,
                error == null ? "null" : "\"" + error.replace("\\", "\\\\").replace("\"", "'") + "\"");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 160 ? line.substring(0, 160) : line;
    }
}
