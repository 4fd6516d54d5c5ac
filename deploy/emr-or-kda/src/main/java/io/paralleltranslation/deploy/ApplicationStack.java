package io.paralleltranslation.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplication;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplicationCloudWatchLoggingOption;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * The running half of an environment: the Managed Flink application reading the data stack's
 * stream, its least-privilege role, logging, alarms and dashboard.
 */
public class ApplicationStack extends Stack {

    /** Runtime of the Managed Flink application. */
    public static final String FLINK_RUNTIME = "FLINK-1_20";
    public static final String LOG_STREAM_NAME = "application";

    private final EnvironmentConfig env;

    public ApplicationStack(Construct scope, String id, StackProps props, DataStack data) {
        super(scope, id, props);
        this.env = data.environmentConfig();

        LogGroup logGroup = LogGroup.Builder.create(this, "ApplicationLogs")
                .logGroupName(env.logGroupName())
                .retention(env.retainData() ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_MONTH)
                .removalPolicy(data.removalPolicy())
                .build();
        LogStream logStream = LogStream.Builder.create(this, "ApplicationLogStream")
                .logGroup(logGroup)
                .logStreamName(LOG_STREAM_NAME)
                .removalPolicy(data.removalPolicy())
                .build();

        Role role = Role.Builder.create(this, "ApplicationRole")
                .description("Service execution role of " + env.applicationName())
                .assumedBy(new ServicePrincipal("kinesisanalytics.amazonaws.com").withConditions(
                        Collections.singletonMap("StringEquals",
                                Collections.singletonMap("aws:SourceAccount", getAccount()))))
                .build();
        // Managed Flink checks the role's permissions when the application is created, so the
        // policy is a separate resource the application depends on.
        Policy policy = Policy.Builder.create(this, "ApplicationPolicy")
                .roles(Collections.singletonList(role))
                .statements(statements(data.stream(), data.table(), data.cacheTable(), data.bucket(), data.secret(),
                        data.key()))
                .build();

        Map<String, Map<String, String>> properties = RuntimeProperties.build(env, getRegion(),
                data.stream().getStreamArn(), data.table().getTableName(), data.cacheTable().getTableName(),
                data.secret().getSecretArn(), data.bucket().getBucketName());
        CfnApplication application = application(role, data.bucket(), properties);
        application.getNode().addDependency(policy);

        CfnApplicationCloudWatchLoggingOption logging = CfnApplicationCloudWatchLoggingOption.Builder
                .create(this, "ApplicationLogging")
                .applicationName(application.getRef())
                .cloudWatchLoggingOption(CfnApplicationCloudWatchLoggingOption.CloudWatchLoggingOptionProperty.builder()
                        .logStreamArn(logStreamArn())
                        .build())
                .build();
        logging.getNode().addDependency(logStream);

        Monitoring monitoring = new Monitoring(this, "Monitoring", env, application.getRef());
        if (env.autoStopAfterIdle() != null) {
            new AutoStop(this, "AutoStop", env, arn("kinesisanalytics", "application", env.applicationName(),
                    ArnFormat.SLASH_RESOURCE_NAME));
        }

        output("ApplicationName", application.getRef());
        output("ApplicationRoleArn", role.getRoleArn());
        output("LogGroupName", logGroup.getLogGroupName());
        output("AlarmTopicArn", monitoring.alarmTopic().getTopicArn());
        output("DashboardName", monitoring.dashboard().getDashboardName());
    }

    private List<PolicyStatement> statements(Stream stream, Table table, Table cacheTable, Bucket bucket,
            Secret secret, Key key) {
        List<PolicyStatement> s = new ArrayList<>();
        // What the polling FlinkKinesisConsumer calls (ListShards for discovery, then an iterator and
        // GetRecords per shard); DescribeStream* for the connector's checks.
        s.add(allow("ReadInputStream", stream.getStreamArn(), "kinesis:DescribeStream",
                "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:GetShardIterator",
                "kinesis:GetRecords"));
        // What DynamoDbQuotaStore calls: a conditional UpdateItem per increment, a conditional
        // PutItem per whole-item replacement and a consistent GetItem to read the item. The table
        // comes from this stack, so the job never creates or describes it (QuotaTable.createIfMissing
        // is for stand-ins only).
        s.add(allow("UseQuotaTable", table.getTableArn(), "dynamodb:GetItem", "dynamodb:UpdateItem",
                "dynamodb:PutItem"));
        // What DynamoDbTranslationCache calls: GetItem to look a chunk up, a conditional PutItem to
        // store a paid translation. Never Scan, Delete or Update: the TTL removes old entries.
        s.add(allow("UseTranslationCache", cacheTable.getTableArn(), "dynamodb:GetItem", "dynamodb:PutItem"));
        s.add(allow("ReadApplicationJar", bucket.arnForObjects(DataStack.JAR_KEY), "s3:GetObject", "s3:GetObjectVersion"));
        // Flink's recoverable S3 writer uploads in parts and keeps small temporary objects next to
        // the output, which it reads back and deletes on recovery.
        s.add(allow("WriteOutput", bucket.arnForObjects(RuntimeProperties.OUTPUT_PREFIX + "*"), "s3:PutObject",
                "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"));
        s.add(PolicyStatement.Builder.create()
                .sid("ListOutputPrefix")
                .actions(Collections.singletonList("s3:ListBucket"))
                .resources(Collections.singletonList(bucket.getBucketArn()))
                .conditions(Collections.singletonMap("StringLike", Collections.singletonMap("s3:prefix",
                        Collections.singletonList(RuntimeProperties.OUTPUT_PREFIX + "*"))))
                .build());
        s.add(allow("ReadApiKeySecret", secret.getSecretArn(), "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret"));
        s.add(viaServices("DecryptThroughDataServices", key, Arrays.asList("kinesis", "s3", "secretsmanager"),
                "kms:Decrypt"));
        s.add(viaServices("EncryptOutput", key, Collections.singletonList("s3"), "kms:GenerateDataKey"));
        // PutMetricData has no resource-level permissions: AWS requires "*", the namespace narrows it.
        s.add(PolicyStatement.Builder.create()
                .sid("PutApplicationMetrics")
                .actions(Collections.singletonList("cloudwatch:PutMetricData"))
                .resources(Collections.singletonList("*"))
                .conditions(Collections.singletonMap("StringEquals",
                        Collections.singletonMap("cloudwatch:namespace", ManagedFlinkMetrics.NAMESPACE)))
                .build());
        // DescribeLogGroups is a list call: it is only authorised against every log group.
        s.add(allow("ListLogGroups", arn("logs", "log-group", "*"), "logs:DescribeLogGroups"));
        s.add(allow("ListLogStreams", arn("logs", "log-group", env.logGroupName() + ":log-stream:*"),
                "logs:DescribeLogStreams"));
        s.add(allow("WriteApplicationLog", logStreamArn(), "logs:PutLogEvents"));
        return s;
    }

    private String logStreamArn() {
        return arn("logs", "log-group", env.logGroupName() + ":log-stream:" + LOG_STREAM_NAME);
    }

    private String arn(String service, String resource, String resourceName) {
        return arn(service, resource, resourceName, ArnFormat.COLON_RESOURCE_NAME);
    }

    private String arn(String service, String resource, String resourceName, ArnFormat format) {
        return formatArn(ArnComponents.builder()
                .service(service)
                .resource(resource)
                .resourceName(resourceName)
                .arnFormat(format)
                .build());
    }

    private PolicyStatement viaServices(String sid, Key key, List<String> services, String action) {
        List<String> via = new ArrayList<>();
        services.forEach(service -> via.add(service + "." + getRegion() + ".amazonaws.com"));
        return PolicyStatement.Builder.create()
                .sid(sid)
                .actions(Collections.singletonList(action))
                .resources(Collections.singletonList(key.getKeyArn()))
                .conditions(Collections.singletonMap("StringEquals", Collections.singletonMap("kms:ViaService", via)))
                .build();
    }

    private static PolicyStatement allow(String sid, String resource, String... actions) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .actions(Arrays.asList(actions))
                .resources(Collections.singletonList(resource))
                .build();
    }

    private CfnApplication application(Role role, Bucket bucket, Map<String, Map<String, String>> properties) {
        List<CfnApplication.PropertyGroupProperty> groups = new ArrayList<>();
        properties.forEach((group, values) -> groups.add(CfnApplication.PropertyGroupProperty.builder()
                .propertyGroupId(group)
                .propertyMap(values)
                .build()));
        return CfnApplication.Builder.create(this, "Application")
                .applicationName(env.applicationName())
                .applicationDescription("Translates documents with Gemini within one global quota (" + env.name() + ")")
                .runtimeEnvironment(FLINK_RUNTIME)
                .serviceExecutionRole(role.getRoleArn())
                .applicationConfiguration(CfnApplication.ApplicationConfigurationProperty.builder()
                        .applicationCodeConfiguration(CfnApplication.ApplicationCodeConfigurationProperty.builder()
                                .codeContentType("ZIPFILE")
                                .codeContent(CfnApplication.CodeContentProperty.builder()
                                        .s3ContentLocation(CfnApplication.S3ContentLocationProperty.builder()
                                                .bucketArn(bucket.getBucketArn())
                                                .fileKey(DataStack.JAR_KEY)
                                                .build())
                                        .build())
                                .build())
                        .flinkApplicationConfiguration(CfnApplication.FlinkApplicationConfigurationProperty.builder()
                                .checkpointConfiguration(CfnApplication.CheckpointConfigurationProperty.builder()
                                        .configurationType("CUSTOM")
                                        .checkpointingEnabled(true)
                                        .checkpointInterval(env.checkpointIntervalMs())
                                        .minPauseBetweenCheckpoints(env.minPauseBetweenCheckpointsMs())
                                        .build())
                                .monitoringConfiguration(CfnApplication.MonitoringConfigurationProperty.builder()
                                        .configurationType("CUSTOM")
                                        .metricsLevel("APPLICATION")
                                        .logLevel("INFO")
                                        .build())
                                // Autoscaling would change the number of limiter instances sharing
                                // the quota (quota.instances) behind the configuration's back.
                                .parallelismConfiguration(CfnApplication.ParallelismConfigurationProperty.builder()
                                        .configurationType("CUSTOM")
                                        .parallelism(env.parallelism())
                                        .parallelismPerKpu(env.parallelismPerKpu())
                                        .autoScalingEnabled(false)
                                        .build())
                                .build())
                        .environmentProperties(CfnApplication.EnvironmentPropertiesProperty.builder()
                                .propertyGroups(groups)
                                .build())
                        .applicationSnapshotConfiguration(CfnApplication.ApplicationSnapshotConfigurationProperty.builder()
                                .snapshotsEnabled(true)
                                .build())
                        .applicationSystemRollbackConfiguration(
                                CfnApplication.ApplicationSystemRollbackConfigurationProperty.builder()
                                        .rollbackEnabled(true)
                                        .build())
                        .build())
                .runConfiguration(CfnApplication.RunConfigurationProperty.builder()
                        .applicationRestoreConfiguration(CfnApplication.ApplicationRestoreConfigurationProperty.builder()
                                .applicationRestoreType("RESTORE_FROM_LATEST_SNAPSHOT")
                                .build())
                        .flinkRunConfiguration(CfnApplication.FlinkRunConfigurationProperty.builder()
                                .allowNonRestoredState(false)
                                .build())
                        .build())
                .build();
    }

    private void output(String id, String value) {
        CfnOutput.Builder.create(this, id).value(value).build();
    }
}
