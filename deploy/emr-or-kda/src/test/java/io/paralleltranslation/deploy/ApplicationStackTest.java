package io.paralleltranslation.deploy;

import static io.paralleltranslation.deploy.Templates.asList;
import static io.paralleltranslation.deploy.Templates.map;
import static io.paralleltranslation.deploy.Templates.onlyResource;
import static io.paralleltranslation.deploy.Templates.policyStatements;
import static io.paralleltranslation.deploy.Templates.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.paralleltranslation.job.config.CacheOptions;
import io.paralleltranslation.job.config.DynamoDbOptions;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.job.config.KinesisOptions;
import io.paralleltranslation.job.config.OutputOptions;
import io.paralleltranslation.job.config.QuotaOptions;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ApplicationStackTest {

    private static Template dev;
    private static Template prod;
    private static Template devData;
    private static Template prodData;

    @BeforeAll
    static void synthesize() {
        dev = Templates.application("dev");
        prod = Templates.application("prod");
        devData = Templates.data("dev");
        prodData = Templates.data("prod");
    }

    @Test
    void theApplicationOnlySeesTheSecretsArn() {
        String secret = devData.getResourceId("AWS::SecretsManager::Secret");
        assertThat(devProperties().get("gemini").get("api-key-source")).isEqualTo("secretsmanager:${" + secret + "}");
    }

    @Test
    void applicationRunsFlink120WithCheckpointsSnapshotsAndItsParallelism() {
        prod.hasResourceProperties("AWS::KinesisAnalyticsV2::Application", map(
                "ApplicationName", "pt-prod-translator",
                "RuntimeEnvironment", "FLINK-1_20",
                "ApplicationConfiguration", Match.objectLike(map(
                        "ApplicationCodeConfiguration", map(
                                "CodeContentType", "ZIPFILE",
                                "CodeContent", Collections.singletonMap("S3ContentLocation", map(
                                        "BucketARN", Match.anyValue(),
                                        "FileKey", "jars/parallel-translation-job.jar"))),
                        "ApplicationSnapshotConfiguration", Collections.singletonMap("SnapshotsEnabled", true),
                        "FlinkApplicationConfiguration", map(
                                "CheckpointConfiguration", map("ConfigurationType", "CUSTOM",
                                        "CheckpointingEnabled", true, "CheckpointInterval", 10000,
                                        "MinPauseBetweenCheckpoints", 5000),
                                "MonitoringConfiguration", map("ConfigurationType", "CUSTOM",
                                        "MetricsLevel", "APPLICATION", "LogLevel", "INFO"),
                                "ParallelismConfiguration", map("ConfigurationType", "CUSTOM",
                                        "Parallelism", 8, "ParallelismPerKPU", 2, "AutoScalingEnabled", false))))));
    }

    @Test
    void everyRuntimePropertyIsAKeyTheJobKnows() {
        for (Template template : Arrays.asList(dev, prod)) {
            Set<String> keys = JobKeys.fullKeys(properties(template));
            assertThat(JobKeys.unknownKeys(keys)).isEmpty();
            assertThat(keys).containsAll(JobKeys.DEPLOYED);
        }
    }

    /**
     * The real proof that the job can start from what Managed Flink will hand it: the synthesized
     * property groups, with each CloudFormation reference replaced by a value of the shape
     * CloudFormation resolves it to, pass the job's own loading and validation.
     */
    @Test
    void theJobAcceptsTheSynthesizedPropertyGroups() {
        for (String env : Arrays.asList("dev", "staging", "prod")) {
            Template data = Templates.data(env);
            Map<String, String> resolved = new LinkedHashMap<>();
            String region = "eu-west-1";
            String streamArn = "arn:aws:kinesis:" + region + ":123456789012:stream/pt-" + env + "-chunks";
            String secretArn = "arn:aws:secretsmanager:" + region + ":123456789012:secret:pt/" + env + "/gemini-api-key-AbCdEf";
            // Fn::GetAtt Stream.Arn is the stream ARN; Ref is a table's name, a bucket's name, a secret's ARN.
            resolved.put("${" + data.getResourceId("AWS::Kinesis::Stream") + ".Arn}", streamArn);
            resolved.put("${" + quotaTable(data, env) + "}", "pt-" + env + "-quota");
            resolved.put("${" + cacheTable(data, env) + "}", "pt-" + env + "-translation-cache");
            resolved.put("${" + data.getResourceId("AWS::S3::Bucket") + "}", "pt-" + env + "-artifacts-1a2b3c");
            resolved.put("${" + data.getResourceId("AWS::SecretsManager::Secret") + "}", secretArn);
            resolved.put("${AWS::Region}", region);
            Map<String, Map<String, String>> groups = new LinkedHashMap<>();
            properties(Templates.application(env)).forEach((group, values) -> {
                Map<String, String> out = new LinkedHashMap<>();
                values.forEach((k, v) -> out.put(k, resolve(v, resolved)));
                groups.put(group, out);
            });

            JobConfig config = JobConfig.load(new String[0], () -> asProperties(groups));

            assertThat(config.get(KinesisOptions.STREAM)).isEqualTo(streamArn);
            assertThat(config.kinesisRegion()).isEqualTo(region);
            assertThat(config.get(DynamoDbOptions.TABLE)).isEqualTo("pt-" + env + "-quota");
            assertThat(config.get(CacheOptions.TABLE)).isEqualTo("pt-" + env + "-translation-cache");
            assertThat(config.apiKeySource().reference()).isEqualTo(secretArn);
            assertThat(config.get(OutputOptions.PATH)).isEqualTo("s3://pt-" + env + "-artifacts-1a2b3c/output/");
            assertThat(config.get(QuotaOptions.INSTANCES)).isEqualTo(EnvironmentConfig.named(env).parallelism());
        }
    }

    private static String quotaTable(Template data, String env) {
        return data.getResourceId("AWS::DynamoDB::Table", Collections.singletonMap("Properties",
                Match.objectLike(Collections.singletonMap("TableName", "pt-" + env + "-quota"))));
    }

    private static String cacheTable(Template data, String env) {
        return data.getResourceId("AWS::DynamoDB::Table", Collections.singletonMap("Properties",
                Match.objectLike(Collections.singletonMap("TableName", "pt-" + env + "-translation-cache"))));
    }

    private static String resolve(String rendered, Map<String, String> references) {
        String out = rendered;
        for (Map.Entry<String, String> r : references.entrySet()) {
            out = out.replace(r.getKey(), r.getValue());
        }
        assertThat(out).as("a reference the test does not resolve in " + rendered).doesNotContain("${");
        return out;
    }

    private static Map<String, Properties> asProperties(Map<String, Map<String, String>> groups) {
        Map<String, Properties> out = new LinkedHashMap<>();
        groups.forEach((group, values) -> {
            Properties p = new Properties();
            p.putAll(values);
            out.put(group, p);
        });
        return out;
    }

    @Test
    void runtimePropertiesPointAtThisStacksResources() {
        Map<String, Map<String, String>> p = devProperties();
        assertThat(p.get("kinesis").get("stream")).isEqualTo("${" + devData.getResourceId("AWS::Kinesis::Stream") + ".Arn}");
        assertThat(p.get("dynamodb").get("table")).isEqualTo("${" + quotaTable(devData, "dev") + "}");
        assertThat(p.get("cache").get("table")).isEqualTo("${" + cacheTable(devData, "dev") + "}");
        assertThat(p.get("output").get("path")).isEqualTo("s3://${" + devData.getResourceId("AWS::S3::Bucket") + "}/output/");
        assertThat(p.get("quota").get("instances")).isEqualTo("2");
    }

    @Test
    void applicationLogsToItsOwnLogStream() {
        dev.hasResourceProperties("AWS::Logs::LogGroup",
                Collections.singletonMap("LogGroupName", "/aws/kinesis-analytics/pt-dev-translator"));
        Map<String, Object> logging = onlyResource(dev, "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption");
        assertThat(logging.get("ApplicationName")).isEqualTo(Collections.singletonMap("Ref", "Application"));
        assertThat(render(((Map<?, ?>) logging.get("CloudWatchLoggingOption")).get("LogStreamARN")))
                .endsWith(":log-group:/aws/kinesis-analytics/pt-dev-translator:log-stream:application");
    }

    @Test
    void roleIsAssumedOnlyByManagedFlinkInThisAccountAndPolicyExistsBeforeTheApplication() {
        dev.hasResourceProperties("AWS::IAM::Role", Collections.singletonMap("AssumeRolePolicyDocument",
                Collections.singletonMap("Statement", Collections.singletonList(map(
                        "Action", "sts:AssumeRole",
                        "Effect", "Allow",
                        "Principal", Collections.singletonMap("Service", "kinesisanalytics.amazonaws.com"),
                        "Condition", Collections.singletonMap("StringEquals",
                                Collections.singletonMap("aws:SourceAccount",
                                        Collections.singletonMap("Ref", "AWS::AccountId"))))))));
        dev.resourceCountIs("AWS::IAM::Policy", 1);
        dev.hasResource("AWS::KinesisAnalyticsV2::Application", Collections.singletonMap("DependsOn",
                Match.arrayWith(Collections.singletonList(dev.getResourceId("AWS::IAM::Policy")))));
    }

    @Test
    void policyGrantsOnlyTheNeededActionsOnThisStacksResources() {
        String stream = devData.getResourceId("AWS::Kinesis::Stream");
        String table = quotaTable(devData, "dev");
        String cache = cacheTable(devData, "dev");
        String bucket = devData.getResourceId("AWS::S3::Bucket");
        String secret = devData.getResourceId("AWS::SecretsManager::Secret");
        String key = devData.getResourceId("AWS::KMS::Key");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ReadInputStream", "[kinesis:DescribeStream, kinesis:DescribeStreamSummary, kinesis:GetRecords,"
                + " kinesis:GetShardIterator, kinesis:ListShards] on ${" + stream + ".Arn}");
        expected.put("UseQuotaTable", "[dynamodb:GetItem, dynamodb:UpdateItem] on ${" + table + ".Arn}");
        expected.put("UseTranslationCache", "[dynamodb:GetItem, dynamodb:PutItem] on ${" + cache + ".Arn}");
        expected.put("ReadApplicationJar", "[s3:GetObject, s3:GetObjectVersion] on ${" + bucket
                + ".Arn}/jars/parallel-translation-job.jar");
        expected.put("WriteOutput", "[s3:AbortMultipartUpload, s3:DeleteObject, s3:GetObject,"
                + " s3:ListMultipartUploadParts, s3:PutObject] on ${" + bucket + ".Arn}/output/*");
        expected.put("ListOutputPrefix", "[s3:ListBucket] on ${" + bucket + ".Arn}");
        expected.put("ReadApiKeySecret", "[secretsmanager:DescribeSecret, secretsmanager:GetSecretValue] on ${"
                + secret + "}");
        expected.put("DecryptThroughDataServices", "[kms:Decrypt] on ${" + key + ".Arn}");
        expected.put("EncryptOutput", "[kms:GenerateDataKey] on ${" + key + ".Arn}");
        expected.put("PutApplicationMetrics", "[cloudwatch:PutMetricData] on *");
        String logs = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:";
        expected.put("ListLogGroups", "[logs:DescribeLogGroups] on " + logs + "*");
        expected.put("ListLogStreams", "[logs:DescribeLogStreams] on " + logs
                + "/aws/kinesis-analytics/pt-dev-translator:log-stream:*");
        expected.put("WriteApplicationLog", "[logs:PutLogEvents] on " + logs
                + "/aws/kinesis-analytics/pt-dev-translator:log-stream:application");

        Map<String, String> actual = new LinkedHashMap<>();
        for (Map<String, Object> s : policyStatements(dev)) {
            assertThat(s.get("Effect")).isEqualTo("Allow");
            Set<String> actions = new TreeSet<>();
            asList(s.get("Action")).forEach(a -> actions.add((String) a));
            List<Object> resources = asList(s.get("Resource"));
            assertThat(resources).hasSize(1);
            actual.put((String) s.get("Sid"), actions + " on " + render(resources.get(0)));
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void keyUseIsLimitedToTheDataServicesAndMetricsToTheFlinkNamespace() {
        Map<String, Map<String, Object>> bySid = new HashMap<>();
        policyStatements(dev).forEach(s -> bySid.put((String) s.get("Sid"), s));
        Map<?, ?> condition = (Map<?, ?>) bySid.get("DecryptThroughDataServices").get("Condition");
        List<Object> via = asList(((Map<?, ?>) condition.get("StringEquals")).get("kms:ViaService"));
        assertThat(via.stream().map(Templates::render))
                .containsExactly("kinesis.${AWS::Region}.amazonaws.com", "s3.${AWS::Region}.amazonaws.com",
                        "secretsmanager.${AWS::Region}.amazonaws.com");
        assertThat(bySid.get("PutApplicationMetrics").get("Condition")).isEqualTo(Collections.singletonMap(
                "StringEquals", Collections.singletonMap("cloudwatch:namespace", "AWS/KinesisAnalytics")));
        assertThat(bySid.get("ListOutputPrefix").get("Condition")).isEqualTo(Collections.singletonMap(
                "StringLike", Collections.singletonMap("s3:prefix", Collections.singletonList("output/*"))));
    }

    @Test
    void noWildcardBeyondTheDocumentedOnes() {
        // The documented exceptions (docs/deploy.md): resource pattern -> the only action allowed on it.
        Map<String, String> allowed = new HashMap<>();
        allowed.put("*", "cloudwatch:PutMetricData");
        allowed.put(":log-group:*", "logs:DescribeLogGroups");
        allowed.put(":log-group:/aws/kinesis-analytics/pt-prod-translator:log-stream:*", "logs:DescribeLogStreams");
        for (Map<String, Object> s : policyStatements(prod)) {
            List<Object> actions = asList(s.get("Action"));
            actions.forEach(a -> assertThat((String) a).doesNotContain("*"));
            for (Object resource : asList(s.get("Resource"))) {
                String arn = render(resource);
                if (!arn.contains("*") || arn.endsWith("}/output/*")) {
                    continue;
                }
                String pattern = allowed.keySet().stream().filter(p -> p.equals("*") ? arn.equals("*") : arn.endsWith(p))
                        .findFirst().orElseThrow(() -> new AssertionError("Undocumented wildcard resource " + arn));
                assertThat(actions).as(arn).containsExactly(allowed.get(pattern));
            }
        }
    }

    @Test
    void outputsNameWhatTheOperatorNeeds() {
        assertThat(devData.findOutputs("*").keySet()).contains("BucketName", "JarKey", "StreamArn", "StreamName",
                "TableName", "SecretArn", "DataKeyArn");
        assertThat(dev.findOutputs("*").keySet()).containsExactlyInAnyOrder("ApplicationName", "ApplicationRoleArn",
                "LogGroupName", "AlarmTopicArn", "DashboardName");
    }

    @Test
    void theApplicationReadsTheJarFromTheDataStacksBucket() {
        Map<?, ?> app = onlyResource(prod, "AWS::KinesisAnalyticsV2::Application");
        Map<?, ?> code = (Map<?, ?>) ((Map<?, ?>) app.get("ApplicationConfiguration")).get("ApplicationCodeConfiguration");
        Map<?, ?> location = (Map<?, ?>) ((Map<?, ?>) code.get("CodeContent")).get("S3ContentLocation");
        assertThat(render(location.get("BucketARN"))).isEqualTo("${" + prodData.getResourceId("AWS::S3::Bucket") + ".Arn}");
    }

    private static Map<String, Map<String, String>> devProperties() {
        return properties(dev);
    }

    /** The application's runtime property groups with every value rendered as text. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, String>> properties(Template template) {
        Map<String, Object> app = onlyResource(template, "AWS::KinesisAnalyticsV2::Application");
        Map<String, Object> config = (Map<String, Object>) app.get("ApplicationConfiguration");
        Map<String, Object> env = (Map<String, Object>) config.get("EnvironmentProperties");
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) env.get("PropertyGroups")) {
            Map<String, String> values = new LinkedHashMap<>();
            ((Map<String, Object>) group.get("PropertyMap")).forEach((k, v) -> values.put(k, render(v)));
            groups.put((String) group.get("PropertyGroupId"), values);
        }
        return groups;
    }

}
