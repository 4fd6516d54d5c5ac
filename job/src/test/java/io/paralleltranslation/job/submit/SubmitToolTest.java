package io.paralleltranslation.job.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paralleltranslation.cli.Cli;
import io.paralleltranslation.operators.parse.ChunkValidator;
import io.paralleltranslation.operators.records.ChunkRecord;
import io.paralleltranslation.operators.records.ChunkRecordCodec;
import io.paralleltranslation.ratelimit.QuotaOutlook;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

class SubmitToolTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<PutRecordsRequestEntry> put = new ArrayList<>();
    private final SubmitTool tool = new SubmitTool(new PrintStream(err, true),
            Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));

    private int submit(String... args) {
        return submit(() -> null, args);
    }

    private int submit(SubmitTool.QuotaReader quota, String... args) {
        SubmitTool.Result result = tool.run(Cli.parse(new SubmitOptions(), args), request -> {
            put.addAll(request.records());
            List<PutRecordsResultEntry> ok = request.records().stream()
                    .map(e -> PutRecordsResultEntry.builder().sequenceNumber("1").shardId("s").build())
                    .collect(Collectors.toList());
            return PutRecordsResponse.builder().failedRecordCount(0).records(ok).build();
        }, quota, () -> 0);
        result.documentIds.forEach(new PrintStream(out, true)::println);
        return result.status;
    }

    /** {@code bin/submit ARGS} on this test's streams. */
    private int commandLine(String... args) {
        return SubmitTool.commandLine(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private Path document(String name, int sentences) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            text.append("Sentence number ").append(i).append(" of a long document. ");
        }
        return Files.write(dir.resolve(name), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void thePreflightPrintsWhatEachDocumentNeedsBeforePuttingAnything() throws Exception {
        Path doc = document("a.md", 40);
        assertThat(submit("--stream", "s", "--target-lang", "de", "--chunk-tokens", "60", doc.toString())).isZero();
        String log = err.toString(StandardCharsets.UTF_8);
        int chunks = put.size();
        assertThat(log).contains("submit: preflight a.md: " + chunks + " chunks, ~")
                .contains(" input tokens, " + chunks + " requests; today's remaining quota unknown");
        assertThat(log.indexOf("preflight")).isLessThan(log.indexOf("chunks put"));
    }

    @Test
    void withTodaysQuotaItSaysWhichDocumentsItFinishesAndRequireTodayRefusesTheRest() throws Exception {
        Path small = document("small.md", 10);
        Path large = document("large.md", 60);
        Instant reset = Instant.parse("2026-12-02T08:00:00Z");
        QuotaOutlook fourLeft = new QuotaOutlook(10, 250_000, 250, 4, reset, ZoneId.of("America/Los_Angeles"));
        String[] args = {"--stream", "s", "--target-lang", "de", "--chunk-tokens", "60", "--quota-table", "q",
            "--require-today", small.toString(), large.toString()};

        assertThat(submit(() -> fourLeft, args)).isEqualTo(3);
        String log = err.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("submit: quota 4 of 250 requests left today (resets 2026-12-02T08:00:00Z)")
                .containsPattern("preflight small.md: [1-4] chunks.*; today's quota can finish it, ETA 2026-12-01T10:00")
                .containsPattern("preflight large.md: .*; today's quota cannot finish it, ETA 2026-12-02T08:0")
                .contains("--require-today: today's remaining quota cannot finish large.md; nothing was put");
        assertThat(put).isEmpty();

        err.reset();
        QuotaOutlook plenty = new QuotaOutlook(10, 250_000, 250, 250, reset, ZoneId.of("America/Los_Angeles"));
        assertThat(submit(() -> plenty, args)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("cannot finish");
        assertThat(put).isNotEmpty();
    }

    @Test
    void requireTodayNeedsTheQuotaTable() {
        assertThatThrownBy(() -> Cli.parse(new SubmitOptions(), new String[] {"--stream", "s", "--target-lang", "de",
            "--require-today", "a.md"})).hasMessageContaining("--require-today needs --quota-table");
    }

    @Test
    void putsEveryChunkAndPrintsTheJobId() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append("Sentence number ").append(i).append(" of a long document. ");
            if (i % 5 == 4) {
                text.append("\n\n");
            }
        }
        Path doc = Files.write(dir.resolve("guide.md"), text.toString().getBytes(StandardCharsets.UTF_8));
        Path glossary = Files.write(dir.resolve("g.json"), "{\"document\": \"Dokument\"}".getBytes(StandardCharsets.UTF_8));

        int status = submit("--stream", "chunks", "--target-lang", "de", "--source-lang", "en", "--chunk-tokens", "60",
                "--context-tokens", "10", "--model", "gemini-2.5-pro", "--glossary", glossary.toString(), doc.toString());

        assertThat(status).isZero();
        String jobId = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(jobId).matches("guide\\.md\\.de-[0-9a-f]{8}");
        List<ChunkRecord> records = new ArrayList<>();
        for (PutRecordsRequestEntry e : put) {
            ChunkRecord r = ChunkRecordCodec.fromJson(e.data().asByteArray());
            assertThat(e.partitionKey()).isEqualTo(r.partitionKey());
            records.add(r);
        }
        records.sort(Comparator.comparingInt(r -> r.chunkIndex));
        assertThat(records).hasSizeGreaterThan(5).allSatisfy(r -> {
            assertThat(r.jobId).isEqualTo(jobId);
            assertThat(r.totalChunks).isEqualTo(records.size());
            assertThat(r.source).isEqualTo("guide.md");
            assertThat(r.targetLanguage).isEqualTo("de");
            assertThat(r.sourceLanguage).isEqualTo("en");
            assertThat(r.model).isEqualTo("gemini-2.5-pro");
            assertThat(r.glossary).containsEntry("document", "Dokument");
            assertThat(r.submittedAt).isEqualTo("2026-12-01T10:00:00Z");
            assertThat(ChunkerTest.estimateTokens(r.text)).isLessThanOrEqualTo(60);
        });
        assertThat(records.stream().map(r -> r.text).collect(Collectors.joining())).isEqualTo(text.toString());
        assertThat(records.get(0).previousContext).isEmpty();
        assertThat(text.toString().substring(0, text.indexOf(records.get(1).text))).endsWith(records.get(1).previousContext);
        assertThat(records.get(1).previousContext).isNotEmpty().hasSizeLessThanOrEqualTo(40);
    }

    @Test
    void refusesAnEmptyFileAndPutsNothing() throws Exception {
        Path good = Files.write(dir.resolve("a.txt"), "Hello.".getBytes(StandardCharsets.UTF_8));
        Path empty = Files.write(dir.resolve("empty.txt"), " \n\n".getBytes(StandardCharsets.UTF_8));

        assertThat(submit("--stream", "s", "--target-lang", "fr", good.toString(), empty.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("empty.txt is empty");
        assertThat(put).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void refusesAFileThatIsNotUtf8() throws Exception {
        Path latin1 = Files.write(dir.resolve("latin1.txt"), "Grüße".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(submit("--stream", "s", "--target-lang", "fr", latin1.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("latin1.txt is not UTF-8");
        assertThat(put).isEmpty();
    }

    @Test
    void reportsAMissingFileOrGlossary() throws Exception {
        assertThat(submit("--stream", "s", "--target-lang", "fr", dir.resolve("nope.txt").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope.txt: no such file");
        Path doc = Files.write(dir.resolve("a.txt"), "Hello.".getBytes(StandardCharsets.UTF_8));
        Path glossary = Files.write(dir.resolve("g.json"), "[\"not an object\"]".getBytes(StandardCharsets.UTF_8));
        assertThat(submit("--stream", "s", "--target-lang", "fr", "--glossary", glossary.toString(), doc.toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("must be a JSON object of source term to translation");
        assertThat(put).isEmpty();
    }

    @Test
    void dropsAByteOrderMarkAndKeepsAGivenJobId() throws Exception {
        Path doc = Files.write(dir.resolve("bom.txt"), "\uFEFFBonjour.".getBytes(StandardCharsets.UTF_8));

        assertThat(submit("--stream", "s", "--target-lang", "en", "--job-id", "my.job_1", doc.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo("my.job_1");
        assertThat(ChunkRecordCodec.fromJson(put.get(0).data().asByteArray()).text).isEqualTo("Bonjour.");
    }

    @Test
    void aRerunGoesOutUnderANewJobIdDerivedFromTheOldOneWithTheSameChunks() throws Exception {
        Path doc = Files.write(dir.resolve("guide.md"), "Erster Satz. Zweiter Satz.\n\nDritter.".getBytes(
                StandardCharsets.UTF_8));
        assertThat(submit("--stream", "s", "--target-lang", "en", "--chunk-tokens", "5", doc.toString())).isZero();
        String first = out.toString(StandardCharsets.UTF_8).trim();
        List<String> firstTexts = putChunks();
        out.reset();
        put.clear();

        assertThat(submit("--stream", "s", "--target-lang", "en", "--chunk-tokens", "5", "--rerun", first,
                doc.toString())).isZero();
        String rerun = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(rerun).matches(java.util.regex.Pattern.quote(first) + "\\.rerun-20261201100000-[0-9a-f]{4}");
        assertThat(ChunkValidator.JOB_ID.matcher(rerun).matches()).isTrue();
        assertThat(putChunks()).hasSizeGreaterThan(1).isEqualTo(firstTexts);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("rerun of " + first + " as " + rerun);
    }

    /** Index, text and context of each chunk put, by index. */
    private List<String> putChunks() throws Exception {
        List<String> chunks = new ArrayList<>();
        for (PutRecordsRequestEntry e : put) {
            ChunkRecord r = ChunkRecordCodec.fromJson(e.data().asByteArray());
            chunks.add(r.chunkIndex + ":" + r.text + ":" + r.previousContext);
        }
        chunks.sort(null);
        return chunks;
    }

    @Test
    void aRerunOfARerunReplacesItsSuffixAndStaysAValidJobId() {
        String again = ChunkRecords.rerunJobId("doc.md.de-1a2b3c4d.rerun-20261201100000-abcd",
                Instant.parse("2026-12-02T08:30:00Z"));
        assertThat(again).matches("doc\\.md\\.de-1a2b3c4d\\.rerun-20261202083000-[0-9a-f]{4}");
        String longest = ChunkRecords.rerunJobId("x".repeat(128), Instant.parse("2026-12-02T08:30:00Z"));
        assertThat(longest).hasSize(128);
        assertThat(ChunkValidator.JOB_ID.matcher(longest).matches()).isTrue();
    }

    @Test
    void aRerunNeedsOneFileAndNoJobId() {
        assertThat(commandLine(new String[] {"--stream", "s", "--target-lang", "de", "--rerun", "a", "--job-id", "b",
                "x"})).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("drop --job-id");
        err.reset();
        assertThat(commandLine(new String[] {"--stream", "s", "--target-lang", "de", "--rerun", "a", "x", "y"}))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("give its one FILE");
        err.reset();
        assertThat(commandLine(new String[] {"--stream", "s", "--target-lang", "de", "--rerun", "a b", "x"}))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--rerun takes the jobId");
    }

    @Test
    void reportsBadArgumentsInOneLineNamingTheFix() {
        assertThat(commandLine(new String[] {"--stream", "s", "doc.txt"})).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--target-lang").contains("submit --help")
                .hasLineCount(1);
        err.reset();
        assertThat(commandLine(new String[] {"--stream", "s", "--target-lang", "de", "--job-id", "a b", "x"})).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--job-id may only use");
    }

    @Test
    void everyRecordItPutsIsOneTheJobAccepts() throws Exception {
        ChunkValidator job = new ChunkValidator();
        // The longest language tag the job takes: 100 characters.
        String longLanguage = "de-x" + "-abcdefgh".repeat(10) + "-abcde";
        for (String name : Arrays.asList("_index.md", ".notes.md", "-draft.txt", "\u00fc.md", "x".repeat(100) + ".md")) {
            put.clear();
            Path doc = Files.write(dir.resolve(name), "Hello. World.".getBytes(StandardCharsets.UTF_8));

            assertThat(submit("--stream", "s", "--target-lang", longLanguage, doc.toString())).as(name).isZero();

            assertThat(put).as(name).isNotEmpty();
            for (PutRecordsRequestEntry entry : put) {
                ChunkValidator.Result result = job.validate(entry.data().asByteArray());
                assertThat(result.reason()).as(name).isNull();
            }
        }
    }

    @Test
    void refusesALanguageThatIsNotABcp47TagInOneLine() throws Exception {
        assertThat(commandLine(new String[] {"--stream", "s", "--target-lang", "German", "x.md"})).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--target-lang takes a BCP 47 language tag")
                .contains("'German'").doesNotContain("Exception");
        err.reset();
        assertThat(commandLine(new String[] {"--stream", "s", "--target-lang", "de", "--source-lang", "en_US", "x.md"}))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--source-lang takes a BCP 47 language tag");
    }

    @Test
    void refusesJobIdsTheJobWouldDeadLetter() throws Exception {
        Path doc = Files.write(dir.resolve("a.txt"), "Hello.".getBytes(StandardCharsets.UTF_8));
        for (String jobId : Arrays.asList("_status", "..", ".hidden", "-x", "x".repeat(129))) {
            err.reset();
            assertThat(commandLine(new String[] {"--stream", "s", "--target-lang", "de", "--job-id", jobId,
                    doc.toString()})).as(jobId).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).as(jobId).contains("--job-id may only use");
        }
    }

    @Test
    void refusesAChunkTheJobWouldDeadLetterAndPutsNothing() throws Exception {
        // A fenced code block is never split, so this one is a single chunk above the job's default
        // translate.max-chunk-chars.
        String block = "```\n" + "code line\n".repeat(7_000) + "```\n";
        Path small = Files.write(dir.resolve("ok.md"), "Hello.".getBytes(StandardCharsets.UTF_8));
        Path big = Files.write(dir.resolve("big.md"), block.getBytes(StandardCharsets.UTF_8));

        assertThat(submit("--stream", "s", "--target-lang", "de", small.toString(), big.toString())).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("big.md").contains("text has")
                .contains("--chunk-tokens");
        assertThat(put).isEmpty();
    }

    @Test
    void helpListsEveryFlag() {
        CommandLine model = Cli.commandLine(new SubmitOptions());
        String help = model.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(model.getCommandSpec().options()).allSatisfy(option -> assertThat(help).contains(option.longestName()));
        // By hand, so a flag dropped from the model (and so from the loop above) fails too.
        assertThat(help).contains("FILE", "--stream", "--target-lang", "--endpoint", "--region", "--source-lang",
                "--chunk-tokens", "--context-tokens", "--job-id", "--rerun", "--model", "--glossary", "--start",
                "--managed-flink-endpoint", "--quota-table", "--quota-scope", "--dynamodb-endpoint", "--rpm", "--tpm",
                "--rpd", "--require-today", "--help");
        assertThat(commandLine("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(help);
    }
}
