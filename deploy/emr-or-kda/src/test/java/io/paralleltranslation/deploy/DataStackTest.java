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

import io.paralleltranslation.cache.CacheTable;
import io.paralleltranslation.ratelimit.QuotaTable;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class DataStackTest {

    private static Template dev;
    private static Template prod;

    @BeforeAll
    static void synthesize() {
        dev = Templates.data("dev");
        prod = Templates.data("prod");
    }

    @Test
    void inputStreamIsKmsEncryptedAndSizedPerEnvironment() {
        String key = dev.getResourceId("AWS::KMS::Key", Collections.singletonMap("Properties",
                Collections.singletonMap("EnableKeyRotation", true)));
        dev.hasResourceProperties("AWS::Kinesis::Stream", map(
                "Name", "pt-dev-chunks",
                "RetentionPeriodHours", 48,
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
    void quotaTableKeysAsTheLimiterWritesWithTtlOnDemandBillingAndPitrInProd() {
        Map<String, Object> expected = map(
                "KeySchema", Collections.singletonList(map("AttributeName", QuotaTable.PARTITION_KEY, "KeyType", "HASH")),
                "AttributeDefinitions", Collections.singletonList(map("AttributeName", QuotaTable.PARTITION_KEY, "AttributeType", "S")),
                "BillingMode", "PAY_PER_REQUEST",
                "TimeToLiveSpecification", map("AttributeName", QuotaTable.TTL_ATTRIBUTE, "Enabled", true),
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
    void secretIsEncryptedWithTheDataKey() {
        dev.hasResourceProperties("AWS::SecretsManager::Secret", map(
                "Name", "pt/dev/gemini-api-key",
                "KmsKeyId", Collections.singletonMap("Fn::GetAtt",
                        Arrays.asList(dev.getResourceId("AWS::KMS::Key"), "Arn"))));
    }

    @Test
    void translationCacheTableKeysAsTheCacheWritesWithTtlAndOnDemandBilling() {
        for (String env : Arrays.asList("dev", "prod")) {
            Template template = "dev".equals(env) ? dev : prod;
            template.resourceCountIs("AWS::DynamoDB::Table", 2);
            template.hasResourceProperties("AWS::DynamoDB::Table", map(
                    "TableName", "pt-" + env + "-translation-cache",
                    "KeySchema", Collections.singletonList(map("AttributeName", CacheTable.PARTITION_KEY, "KeyType", "HASH")),
                    "AttributeDefinitions", Collections.singletonList(
                            map("AttributeName", CacheTable.PARTITION_KEY, "AttributeType", "S")),
                    "BillingMode", "PAY_PER_REQUEST",
                    "TimeToLiveSpecification", map("AttributeName", CacheTable.TTL_ATTRIBUTE, "Enabled", true),
                    "SSESpecification", Collections.singletonMap("SSEEnabled", true)));
        }
        prod.hasResource("AWS::DynamoDB::Table", map("DeletionPolicy", "Retain", "Properties",
                Match.objectLike(Collections.singletonMap("TableName", "pt-prod-translation-cache"))));
    }

    @Test
    void resourcesAreTaggedWithProjectAndEnvironment() {
        prod.hasResourceProperties("AWS::DynamoDB::Table", Collections.singletonMap("Tags", Match.arrayWith(
                Arrays.asList(map("Key", "environment", "Value", "prod"),
                        map("Key", "project", "Value", "parallel-translation")))));
    }

    @Test
    void statefulResourcesAreRetainedInProdAndRemovedInDev() {
        for (String type : Arrays.asList("AWS::Kinesis::Stream", "AWS::DynamoDB::Table", "AWS::S3::Bucket",
                "AWS::SecretsManager::Secret", "AWS::KMS::Key")) {
            prod.hasResource(type, Collections.singletonMap("DeletionPolicy", "Retain"));
            dev.hasResource(type, Collections.singletonMap("DeletionPolicy", "Delete"));
        }
    }
}
