package io.paralleltranslation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.paralleltranslation.job.config.ApiKeySource;
import io.paralleltranslation.job.config.GeminiOptions;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.JobOptions;
import io.paralleltranslation.job.config.KinesisOptions;
import io.paralleltranslation.job.config.OutputOptions;
import io.paralleltranslation.job.config.QuotaOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EMR on EKS and EMR on EC2 definitions: parsed, complete, and accepted by the job's own config loader. */
class EmrDefinitionsTest {

    private static final Path EMR = Paths.get(System.getProperty("deploy.module.dir", ".")).resolve("emr");
    private static final Set<String> PLACEHOLDERS = new TreeSet<>(Arrays.asList(
            "ENV", "BUCKET", "AWS_REGION", "AWS_ACCOUNT_ID", "SECRET_ARN", "JOB_EXECUTION_ROLE_ARN"));
    private static final String JAR_URI = "s3://${BUCKET}/" + DataStack.JAR_KEY;
    private static final String CHECKPOINTS = "s3://${BUCKET}/flink/checkpoints";
    private static final String SAVEPOINTS = "s3://${BUCKET}/flink/savepoints";

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void flinkDeploymentRunsTheJarOnFlink120WithS3StateAndSavepointUpgrades() throws IOException {
        JsonNode d = yaml.readTree(read("eks/flink-deployment.yaml"));
        assertThat(d.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(d.path("kind").asText()).isEqualTo("FlinkDeployment");
        assertThat(d.path("metadata").path("name").asText()).isEqualTo("pt-${ENV}-translator");
        JsonNode spec = d.path("spec");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v1_20");
        assertThat(spec.path("emrReleaseLabel").asText()).matches("emr-7\\.\\d+\\.\\d+-flink-latest");
        assertThat(spec.path("executionRoleArn").asText()).isEqualTo("${JOB_EXECUTION_ROLE_ARN}");
        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("state.checkpoints.dir").asText()).isEqualTo(CHECKPOINTS);
        assertThat(conf.path("state.savepoints.dir").asText()).isEqualTo(SAVEPOINTS);
        assertThat(conf.path("high-availability.storageDir").asText()).startsWith("s3://${BUCKET}/");
        assertThat(spec.path("jobManager").path("resource").path("memory").asText()).isNotEmpty();
        assertThat(spec.path("taskManager").path("resource").path("memory").asText()).isNotEmpty();
        JsonNode job = spec.path("job");
        assertThat(job.path("jarURI").asText()).isEqualTo(JAR_URI);
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("state").asText()).isEqualTo("running");
        List<String> args = texts(job.path("args"));
        Map<String, String> config = flatten(json.readTree(read("job-config.json")));
        assertThat(argumentValues(args)).isEqualTo(config);
        assertThat(job.path("parallelism").asText()).isEqualTo(config.get(QuotaOptions.INSTANCES.key()));
        assertThat(jobAccepts(args)).isNotNull();
    }

    @Test
    void jobConfigFileSetsTheDeployedKeysInTheJobsFormat() throws IOException {
        Map<String, String> config = flatten(json.readTree(read("job-config.json")));
        assertThat(JobKeys.unknownKeys(config.keySet())).isEmpty();
        assertThat(config.keySet()).containsExactlyInAnyOrderElementsOf(JobKeys.DEPLOYED);
        assertThat(config.get(GeminiOptions.API_KEY_SOURCE.key()))
                .isEqualTo(RuntimeProperties.SECRETS_MANAGER_PREFIX + "${SECRET_ARN}");
        assertThat(config.get(OutputOptions.PATH.key())).isEqualTo("s3://${BUCKET}/" + RuntimeProperties.OUTPUT_PREFIX);
    }

    /** The file, placeholders filled as envsubst would, is a config file the job loads and accepts. */
    @Test
    void theJobLoadsTheConfigFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("job.json");
        Files.write(file, substitute(read("job-config.json")).getBytes(StandardCharsets.UTF_8));

        JobConfig config = JobConfig.load(new String[] {"--config", file.toString()}, Collections::emptyMap);

        assertThat(config.get(KinesisOptions.STREAM))
                .isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/pt-staging-chunks");
        assertThat(config.apiKeySource().kind()).isEqualTo(ApiKeySource.Kind.SECRETSMANAGER);
        assertThat(config.get(GeminiOptions.REQUEST_TIMEOUT)).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.get(JobOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.get(OutputOptions.PATH)).isEqualTo("s3://pt-staging-artifacts-1a2b3c/output/");
    }

    @Test
    void yarnStepsFetchTheJarAndRunItAsAYarnApplicationWithS3State() throws IOException {
        JsonNode steps = json.readTree(read("ec2/steps.json"));
        assertThat(steps.isArray()).isTrue();
        assertThat(steps).hasSize(2);
        for (JsonNode step : steps) {
            assertThat(step.path("Name").asText()).isNotEmpty();
            assertThat(step.path("Type").asText()).isEqualTo("CUSTOM_JAR");
            assertThat(step.path("Jar").asText()).isEqualTo("command-runner.jar");
            assertThat(step.path("ActionOnFailure").asText()).isIn("CONTINUE", "CANCEL_AND_WAIT", "TERMINATE_CLUSTER");
        }
        List<String> fetch = texts(steps.get(0).path("Args"));
        assertThat(fetch).containsExactly("aws", "s3", "cp", JAR_URI, "/home/hadoop/parallel-translation-job.jar");

        List<String> run = texts(steps.get(1).path("Args"));
        assertThat(run.subList(0, 4)).containsExactly("flink", "run-application", "-t", "yarn-application");
        assertThat(run).contains("-Dstate.checkpoints.dir=" + CHECKPOINTS, "-Dstate.savepoints.dir=" + SAVEPOINTS,
                "-Dstate.backend.type=rocksdb");
        int jar = run.indexOf("/home/hadoop/parallel-translation-job.jar");
        assertThat(jar).isGreaterThan(3);
        assertThat(run.subList(4, jar)).allSatisfy(option -> assertThat(option).startsWith("-D"));

        List<String> jobArgs = run.subList(jar + 1, run.size());
        Map<String, String> values = argumentValues(jobArgs);
        assertThat(JobKeys.unknownKeys(values.keySet())).isEmpty();
        assertThat(values).isEqualTo(flatten(json.readTree(read("job-config.json"))));
        assertThat(run).contains("-Dparallelism.default=" + values.get(QuotaOptions.INSTANCES.key()));
        assertThat(jobAccepts(jobArgs).get(QuotaOptions.INSTANCES)).isEqualTo(4);
    }

    @Test
    void clusterConfigurationPutsCheckpointsAndSavepointsOnS3() throws IOException {
        JsonNode classifications = json.readTree(read("ec2/configurations.json"));
        assertThat(classifications).hasSize(1);
        JsonNode flinkConf = classifications.get(0);
        assertThat(flinkConf.path("Classification").asText()).isEqualTo("flink-conf");
        JsonNode p = flinkConf.path("Properties");
        assertThat(p.path("state.checkpoints.dir").asText()).isEqualTo(CHECKPOINTS);
        assertThat(p.path("state.savepoints.dir").asText()).isEqualTo(SAVEPOINTS);
        assertThat(p.path("execution.checkpointing.externalized-checkpoint-retention").asText())
                .isEqualTo("RETAIN_ON_CANCELLATION");
    }

    @Test
    void definitionsUseOnlyTheDocumentedPlaceholders() throws IOException {
        Pattern placeholder = Pattern.compile("\\$\\{([^}]*)}");
        for (String file : Arrays.asList("eks/flink-deployment.yaml", "ec2/steps.json", "ec2/configurations.json",
                "job-config.json")) {
            Matcher m = placeholder.matcher(read(file));
            while (m.find()) {
                assertThat(m.group(1)).as(file).isIn(PLACEHOLDERS);
            }
        }
    }

    /** Loads the job's config from {@code args} with the placeholders filled; throws if the job would refuse it. */
    private static JobConfig jobAccepts(List<String> args) {
        String[] filled = args.stream().map(EmrDefinitionsTest::substitute).toArray(String[]::new);
        return JobConfig.load(filled, Collections::emptyMap);
    }

    /** Fills the placeholders with values of the shape the deployment has. */
    private static String substitute(String text) {
        return text.replace("${ENV}", "staging")
                .replace("${BUCKET}", "pt-staging-artifacts-1a2b3c")
                .replace("${AWS_REGION}", "eu-west-1")
                .replace("${AWS_ACCOUNT_ID}", "123456789012")
                .replace("${SECRET_ARN}",
                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pt/staging/gemini-api-key-AbCdEf");
    }

    private static String read(String file) throws IOException {
        return new String(Files.readAllBytes(EMR.resolve(file)), StandardCharsets.UTF_8);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The {@code group.key} names of a config file: top-level groups holding string values. */
    private static Map<String, String> flatten(JsonNode config) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> groups = config.fields(); groups.hasNext();) {
            Map.Entry<String, JsonNode> group = groups.next();
            group.getValue().fields().forEachRemaining(e -> {
                assertThat(e.getValue().isTextual()).as(group.getKey() + "." + e.getKey()).isTrue();
                out.put(group.getKey() + "." + e.getKey(), e.getValue().asText());
            });
        }
        return out;
    }

    /** The {@code x.y -> value} of every {@code --x.y value} pair. */
    private static Map<String, String> argumentValues(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            assertThat(arg).as("argument %d", i).startsWith("--");
            assertThat(i + 1).as("value of " + arg).isLessThan(args.size());
            String value = args.get(++i);
            assertThat(value).as("value of " + arg).doesNotStartWith("--");
            out.put(arg.substring(2), value);
        }
        return out;
    }
}
