package io.paralleltranslation.deploy;

import static io.paralleltranslation.deploy.Templates.asList;
import static io.paralleltranslation.deploy.Templates.map;
import static io.paralleltranslation.deploy.Templates.onlyResource;
import static io.paralleltranslation.deploy.Templates.policyStatements;
import static io.paralleltranslation.deploy.Templates.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        assertThat(devProperties().get("gemini").get("api-key-secret")).isEqualTo("${" + secret + "}");
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
                                        "CheckpointingEnabled", true, "CheckpointInterval", 60000,
                                        "MinPauseBetweenCheckpoints", 5000),
                                "MonitoringConfiguration", map("ConfigurationType", "CUSTOM",
                                        "MetricsLevel", "APPLICATION", "LogLevel", "INFO"),
                                "ParallelismConfiguration", map("ConfigurationType", "CUSTOM",
                                        "Parallelism", 8, "ParallelismPerKPU", 2, "AutoScalingEnabled", false))))));
    }

    @Test
    void everyRuntimePropertyIsAKeyTheJobKnows() {
        for (Template template : Arrays.asList(dev, prod)) {
            Set<String> keys = RuntimeProperties.fullKeys(properties(template));
            assertThat(KnownJobKeys.unknownKeys(keys, KnownJobKeys.KNOWN)).isEmpty();
            assertThat(keys).containsAll(KnownJobKeys.KNOWN);
        }
    }

    @Test
    void runtimePropertiesPointAtThisStacksResources() {
        Map<String, Map<String, String>> p = devProperties();
        assertThat(p.get("kinesis").get("stream")).isEqualTo("${" + devData.getResourceId("AWS::Kinesis::Stream") + ".Arn}");
        assertThat(p.get("dynamodb").get("table")).isEqualTo("${" + devData.getResourceId("AWS::DynamoDB::Table") + "}");
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
        String table = devData.getResourceId("AWS::DynamoDB::Table");
        String bucket = devData.getResourceId("AWS::S3::Bucket");
        String secret = devData.getResourceId("AWS::SecretsManager::Secret");
        String key = devData.getResourceId("AWS::KMS::Key");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ReadInputStream", "[kinesis:DescribeStream, kinesis:DescribeStreamSummary, kinesis:GetRecords,"
                + " kinesis:GetShardIterator, kinesis:ListShards] on ${" + stream + ".Arn}");
        expected.put("UseQuotaTable", "[dynamodb:DescribeTable, dynamodb:GetItem, dynamodb:PutItem,"
                + " dynamodb:UpdateItem] on ${" + table + ".Arn}");
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
