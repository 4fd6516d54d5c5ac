package io.paralleltranslation.job.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paralleltranslation.job.sink.OutputSinks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the job has committed under its output directory: status records from
 * {@code _status/} and dead letters from {@code _dead-letter/}. The file sinks keep in-progress
 * and pending part files hidden (names starting with a dot) until a checkpoint commits them, so
 * only visible files are read and a record is never seen half-written.
 */
final class OutputReader {
    private static final Logger LOG = LoggerFactory.getLogger(OutputReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path output;

    OutputReader(Path output) {
        this.output = output;
    }

    /**
     * The latest final status record (COMPLETE, FAILED, INCOMPLETE) of each document, by jobId, with the
     * time its file was written ({@link DocumentOutcome#committedAt}).
     */
    Map<String, DocumentOutcome> statuses() {
        Map<String, DocumentOutcome> byJob = new LinkedHashMap<>();
        for (Path file : visibleFilesUnder(output.resolve(OutputSinks.STATUS_DIR))) {
            long written = lastModifiedMillis(file);
            for (String line : lines(file)) {
                try {
                    JsonNode node = JSON.readTree(line);
                    DocumentOutcome outcome = DocumentOutcome.fromStatus(node);
                    if (outcome.jobId != null && outcome.isFinal()) {
                        outcome.committedAt = written;
                        byJob.put(outcome.jobId, outcome);
                    }
                } catch (IOException e) {
                    LOG.warn("Skipping a status line that is not JSON: {}", e.getMessage());
                }
            }
        }
        return byJob;
    }

    int deadLetters() {
        return committedLines(output.resolve(OutputSinks.DEAD_LETTER_DIR)).size();
    }

    private static List<String> committedLines(Path dir) {
        List<String> lines = new ArrayList<>();
        for (Path file : visibleFilesUnder(dir)) {
            lines.addAll(lines(file));
        }
        return lines;
    }

    private static List<Path> visibleFilesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return visibleFiles(walk);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static List<String> lines(Path file) {
        List<String> lines = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return lines;
    }

    /** 0 when the file's time cannot be read: the phase is then unknown, not wrong. */
    private static long lastModifiedMillis(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Regular files whose names do not start with a dot, sorted: what a user would call the files. */
    static List<Path> visibleFiles(Stream<Path> paths) {
        return paths.filter(Files::isRegularFile)
                .filter(f -> !f.getFileName().toString().startsWith("."))
                .sorted()
                .collect(Collectors.toList());
    }
}
