package io.paralleltranslation.deploy;

import static io.paralleltranslation.deploy.Templates.asList;
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

class TranslationStackTest {

    private static Template dev;
    private static Template prod;

    @BeforeAll
    static void synthesize() {
        dev = Templates.of("dev");
        prod = Templates.of("prod");
    }

    @Test
    void inputStreamIsKmsEncryptedAndSizedPerEnvironment() {
        String key = dev.getResourceId("AWS::KMS::Key", Collections.singletonMap("Properties",
                Collections.singletonMap("EnableKeyRotation", true)));
        dev.hasResourceProperties("AWS::Kinesis::Stream", map(
                "Name", "pt-dev-chunks",
                "RetentionPeriodHours", 24,
                "StreamModeDetails", Collections.singletonMap("StreamMode", "ON_DEMAND"),
                "StreamEncryption", map("EncryptionType", "KMS",
                        "KeyId", Collections.singletonMap("Fn::GetAtt", Arrays.asList(key, "Arn")))));
        prod.hasResourceProperties("AWS::Kinesis::Stream", map(
                "Name", "pt-prod-chunks",
                "RetentionPeriodHours", 168,
                "ShardCount", 4,
                "StreamModeDetails", Collections.singletonMap("StreamMode", "PROVISIONED"),
                "StreamEncryption", Match.objectLike(Collections.singletonMap("EncryptionType", "KMS"))));
    }

    @Test
    void quotaTableKeysOnPkWithTtlOnDemandBillingAndPitrInProd() {
        Map<String, Object> expected = map(
                "KeySchema", Collections.singletonList(map("AttributeName", "pk", "KeyType", "HASH")),
                "AttributeDefinitions", Collections.singletonList(map("AttributeName", "pk", "AttributeType", "S")),
                "BillingMode", "PAY_PER_REQUEST",
                "TimeToLiveSpecification", map("AttributeName", "expiresAt", "Enabled", true),
                "SSESpecification", Collections.singletonMap("SSEEnabled", true));
        dev.hasResourceProperties("AWS::DynamoDB::Table", expected);
        prod.hasResourceProperties("AWS::DynamoDB::Table", expected);
        dev.hasResourceProperties("AWS::DynamoDB::Table", Collections.singletonMap("PointInTimeRecoverySpecification",
                Collections.singletonMap("PointInTimeRecoveryEnabled", false)));
        prod.hasResourceProperties("AWS::DynamoDB::Table", map("TableName", "pt-prod-quota",
                "PointInTimeRecoverySpecification", Collections.singletonMap("PointInTimeRecoveryEnabled", true)));
    }

    @Test
    void bucketIsKmsEncryptedPrivateVersionedTlsOnlyAndExpiresDeadLetters() {
        Map<String, Object> bucket = onlyResource(dev, "AWS::S3::Bucket");
        assertThat(render(bucket.get("BucketEncryption"))).contains("aws:kms").contains("BucketKeyEnabled=true");
        assertThat(bucket.get("PublicAccessBlockConfiguration")).isEqualTo(map(
                "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true));
        assertThat(bucket.get("VersioningConfiguration")).isEqualTo(Collections.singletonMap("Status", "Enabled"));
        dev.hasResourceProperties("AWS::S3::Bucket", Collections.singletonMap("LifecycleConfiguration",
                Collections.singletonMap("Rules", Match.arrayWith(Collections.singletonList(map(
                        "Id", "expire-dead-letters",
                        "Prefix", "output/_dead-letter/",
                        "ExpirationInDays", 7,
                        "Status", "Enabled"))))));
        dev.hasResourceProperties("AWS::S3::BucketPolicy", Collections.singletonMap("PolicyDocument",
                Collections.singletonMap("Statement", Match.arrayWith(Collections.singletonList(Match.objectLike(map(
                        "Effect", "Deny",
                        "Action", "s3:*",
                        "Condition", Collections.singletonMap("Bool",
                                Collections.singletonMap("aws:SecureTransport", "false")))))))));
    }

    @Test
    void secretIsKmsEncryptedAndTheApplicationOnlySeesItsArn() {
        String secret = dev.getResourceId("AWS::SecretsManager::Secret");
        dev.hasResourceProperties("AWS::SecretsManager::Secret", map(
                "Name", "pt/dev/gemini-api-key",
                "KmsKeyId", Match.objectLike(Collections.singletonMap("Fn::GetAtt", Match.anyValue()))));
        assertThat(devProperties().get("gemini").get("api-key-secret")).isEqualTo("${" + secret + "}");
    }

    @Test
    void applicationRunsFlink120WithCheckpointsSnapshotsAndItsParallelism() {
        String bucket = prod.getResourceId("AWS::S3::Bucket");
        prod.hasResourceProperties("AWS::KinesisAnalyticsV2::Application", map(
                "ApplicationName", "pt-prod-translator",
                "RuntimeEnvironment", "FLINK-1_20",
                "ApplicationConfiguration", Match.objectLike(map(
                        "ApplicationCodeConfiguration", map(
                                "CodeContentType", "ZIPFILE",
                                "CodeContent", Collections.singletonMap("S3ContentLocation", map(
                                        "BucketARN", Collections.singletonMap("Fn::GetAtt", Arrays.asList(bucket, "Arn")),
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
        assertThat(p.get("kinesis").get("stream")).isEqualTo("${" + dev.getResourceId("AWS::Kinesis::Stream") + ".Arn}");
        assertThat(p.get("dynamodb").get("table")).isEqualTo("${" + dev.getResourceId("AWS::DynamoDB::Table") + "}");
        assertThat(p.get("output").get("path")).isEqualTo("s3://${" + dev.getResourceId("AWS::S3::Bucket") + "}/output/");
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
        String stream = dev.getResourceId("AWS::Kinesis::Stream");
        String table = dev.getResourceId("AWS::DynamoDB::Table");
        String bucket = dev.getResourceId("AWS::S3::Bucket");
        String secret = dev.getResourceId("AWS::SecretsManager::Secret");
        String key = dev.getResourceId("AWS::KMS::Key");
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
    void statefulResourcesAreRetainedInProdAndRemovedInDev() {
        for (String type : Arrays.asList("AWS::Kinesis::Stream", "AWS::DynamoDB::Table", "AWS::S3::Bucket",
                "AWS::SecretsManager::Secret", "AWS::KMS::Key")) {
            prod.hasResource(type, Collections.singletonMap("DeletionPolicy", "Retain"));
            dev.hasResource(type, Collections.singletonMap("DeletionPolicy", "Delete"));
        }
    }

    @Test
    void outputsNameWhatTheOperatorNeeds() {
        assertThat(dev.findOutputs("*").keySet()).contains("BucketName", "JarKey", "StreamArn", "StreamName",
                "TableName", "SecretArn", "ApplicationName", "ApplicationRoleArn", "AlarmTopicArn", "DashboardName");
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

    /** An ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
