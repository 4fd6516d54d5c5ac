package io.paralleltranslation.deploy;

import java.util.Arrays;

import io.paralleltranslation.cache.CacheTable;
import io.paralleltranslation.ratelimit.QuotaTable;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * The stateful half of an environment: input stream, quota table, artifacts bucket, API key
 * secret and the key encrypting them. It is deployed first, because Managed Flink checks that the
 * jar exists in the bucket when the application is created; EMR deployments use it alone.
 */
public class DataStack extends Stack {

    /**
     * The job's shaded jar in the artifacts bucket. The key stays fixed; the bucket is versioned,
     * so a release is a new object version and a rollback names the previous one.
     */
    public static final String JAR_KEY = "jars/parallel-translation-job.jar";

    private final EnvironmentConfig env;
    private final Key key;
    private final Stream stream;
    private final Table table;
    private final Table cacheTable;
    private final Bucket bucket;
    private final Secret secret;

    public DataStack(Construct scope, String id, StackProps props, EnvironmentConfig env) {
        super(scope, id, props);
        this.env = env;

        key = Key.Builder.create(this, "DataKey")
                .description("Encrypts the " + env.name() + " input stream, artifacts bucket and API key secret")
                .enableKeyRotation(true)
                .removalPolicy(removalPolicy())
                .build();
        stream = inputStream();
        table = quotaTable();
        cacheTable = translationCacheTable();
        bucket = artifactsBucket();
        secret = Secret.Builder.create(this, "GeminiApiKey")
                .secretName(env.secretName())
                .description("Gemini API key, read by the job at start-up; set the value with put-secret-value")
                .encryptionKey(key)
                .removalPolicy(removalPolicy())
                .build();

        output("BucketName", bucket.getBucketName());
        output("JarKey", JAR_KEY);
        output("StreamArn", stream.getStreamArn());
        output("StreamName", stream.getStreamName());
        output("TableName", table.getTableName());
        output("CacheTableName", cacheTable.getTableName());
        output("SecretArn", secret.getSecretArn());
        output("DataKeyArn", key.getKeyArn());
    }

    public EnvironmentConfig environmentConfig() {
        return env;
    }

    public Key key() {
        return key;
    }

    public Stream stream() {
        return stream;
    }

    public Table table() {
        return table;
    }

    /** The translation cache's table. */
    public Table cacheTable() {
        return cacheTable;
    }

    public Bucket bucket() {
        return bucket;
    }

    public Secret secret() {
        return secret;
    }

    RemovalPolicy removalPolicy() {
        return env.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    }

    private Stream inputStream() {
        Stream.Builder b = Stream.Builder.create(this, "ChunkStream")
                .streamName(env.streamName())
                .retentionPeriod(Duration.hours(env.streamRetentionHours()))
                .encryption(StreamEncryption.KMS)
                .encryptionKey(key)
                .removalPolicy(removalPolicy());
        if (env.onDemandStream()) {
            b.streamMode(StreamMode.ON_DEMAND);
        } else {
            b.streamMode(StreamMode.PROVISIONED).shardCount(env.provisionedShards());
        }
        return b.build();
    }

    /** The limiter's table: the key and TTL attribute come from the limiter's own {@link QuotaTable}. */
    private Table quotaTable() {
        return Table.Builder.create(this, "QuotaTable")
                .tableName(env.tableName())
                .partitionKey(Attribute.builder().name(QuotaTable.PARTITION_KEY).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(QuotaTable.TTL_ATTRIBUTE)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(env.pointInTimeRecovery())
                        .build())
                .removalPolicy(removalPolicy())
                .build();
    }

    /**
     * The translation cache: key and TTL attribute from the cache's own {@link CacheTable}. Entries
     * are paid-for translations, cheap to lose (a miss pays once more), so no point-in-time
     * recovery; the TTL deletes them after {@code cache.ttl}.
     */
    private Table translationCacheTable() {
        return Table.Builder.create(this, "TranslationCacheTable")
                .tableName(env.cacheTableName())
                .partitionKey(Attribute.builder().name(CacheTable.PARTITION_KEY).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(CacheTable.TTL_ATTRIBUTE)
                .encryption(TableEncryption.AWS_MANAGED)
                .removalPolicy(removalPolicy())
                .build();
    }

    private Bucket artifactsBucket() {
        return Bucket.Builder.create(this, "ArtifactsBucket")
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .versioned(true)
                .lifecycleRules(Arrays.asList(
                        LifecycleRule.builder()
                                .id("expire-dead-letters")
                                .prefix(RuntimeProperties.DEAD_LETTER_PREFIX)
                                .expiration(Duration.days(env.deadLetterExpirationDays()))
                                .build(),
                        LifecycleRule.builder()
                                .id("expire-old-versions")
                                .noncurrentVersionExpiration(Duration.days(30))
                                .abortIncompleteMultipartUploadAfter(Duration.days(7))
                                .build()))
                .removalPolicy(removalPolicy())
                .build();
    }

    private void output(String id, String value) {
        CfnOutput.Builder.create(this, id).value(value).build();
    }
}
