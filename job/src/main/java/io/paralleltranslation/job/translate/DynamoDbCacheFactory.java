package io.paralleltranslation.job.translate;

import io.paralleltranslation.cache.CacheKey;
import io.paralleltranslation.cache.CacheTable;
import io.paralleltranslation.cache.CachedTranslation;
import io.paralleltranslation.cache.DynamoDbTranslationCache;
import io.paralleltranslation.cache.TranslationCache;
import io.paralleltranslation.cli.Durations;
import io.paralleltranslation.job.config.CacheOptions;
import io.paralleltranslation.job.config.JobConfig;
import io.paralleltranslation.operators.translate.CacheKeys;
import io.paralleltranslation.operators.translate.TranslationCacheFactory;
import io.paralleltranslation.ratelimit.QuotaLimiters;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Builds the translation cache on the task manager: a {@link DynamoDbTranslationCache} over
 * {@code cache.table}, in the region and at the endpoint of the quota table, with its own client
 * (the limiter's short timeouts: a slow cache must not hold a chunk long; on a timeout the chunk
 * is simply called). With an endpoint override (dynalite) the table is created when missing; on
 * AWS the deployment creates it. Holds only serializable settings.
 */
public final class DynamoDbCacheFactory implements TranslationCacheFactory {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbCacheFactory.class);
    private static final Duration TABLE_TIMEOUT = Duration.ofSeconds(60);

    private final String table;
    private final String region;
    private final URI endpoint;
    private final Duration ttl;

    private DynamoDbCacheFactory(JobConfig config) {
        this.table = config.get(CacheOptions.TABLE);
        this.region = config.dynamodbRegion();
        this.endpoint = config.dynamodbEndpoint();
        this.ttl = config.get(CacheOptions.TTL);
    }

    /** The cache the config describes; null when {@code cache.enabled} is false. */
    public static DynamoDbCacheFactory from(JobConfig config) {
        return config.get(CacheOptions.ENABLED) ? new DynamoDbCacheFactory(config) : null;
    }

    /** How the config's Gemini client keys its requests. */
    public static CacheKeys keys(JobConfig config) {
        return CacheKeys.of(GeminiClientFactory.settings(config));
    }

    @Override
    public TranslationCache create() throws Exception {
        AwsCredentialsProvider credentials = endpoint == null ? DefaultCredentialsProvider.create()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        DynamoDbAsyncClient client = QuotaLimiters.dynamoDbClient(endpoint, Region.of(region), credentials);
        try {
            if (endpoint != null) {
                CacheTable.createIfMissing(client, table, TABLE_TIMEOUT);
            }
            LOG.info("Translation cache on table {} ({}), entries kept {}", table, endpoint == null ? region : endpoint,
                    Durations.format(ttl));
            return new ClosingClient(new DynamoDbTranslationCache(client, table, ttl, Clock.systemUTC()), client);
        } catch (Exception | Error e) {
            client.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "DynamoDbCacheFactory{table=" + table + ", endpoint=" + (endpoint == null ? region : endpoint)
                + ", ttl=" + ttl + "}";
    }

    /** The cache, closing its own DynamoDB client ({@link DynamoDbTranslationCache} does not). */
    private static final class ClosingClient implements TranslationCache {
        private final TranslationCache cache;
        private final DynamoDbAsyncClient client;

        ClosingClient(TranslationCache cache, DynamoDbAsyncClient client) {
            this.cache = cache;
            this.client = client;
        }

        @Override
        public CompletableFuture<Optional<CachedTranslation>> get(CacheKey key) {
            return cache.get(key);
        }

        @Override
        public CompletableFuture<PutResult> put(CacheKey key, CachedTranslation translation) {
            return cache.put(key, translation);
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
