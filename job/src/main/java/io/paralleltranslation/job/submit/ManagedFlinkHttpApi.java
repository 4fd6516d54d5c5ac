package io.paralleltranslation.job.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paralleltranslation.job.config.Endpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * {@link ManagedFlinkApi} over the service's AWS JSON 1.1 protocol, signed with the SDK's SigV4
 * signer and the default credentials chain. The SDK's generated {@code kinesisanalyticsv2} client
 * is not served at the SDK version this project uses (the registry's newest is 2.40.2, the BOM is
 * 2.57.x), and three calls do not justify mixing SDK versions in the job's jar.
 */
final class ManagedFlinkHttpApi implements ManagedFlinkApi {
    private static final String TARGET_PREFIX = "KinesisAnalytics_20180523.";
    private static final String SIGNING_NAME = "kinesisanalytics";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** Headers java.net.http sets itself and refuses to be given. */
    private static final List<String> RESTRICTED = List.of("host", "content-length", "connection", "expect");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ManagedFlinkHttpApi(URI endpoint, String region, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
    }

    /**
     * AWS's regional endpoint with the default credentials chain, or {@code endpoint}; a loopback
     * endpoint (a fake in tests) gets dummy static credentials, as the Kinesis stand-in does.
     */
    static ManagedFlinkHttpApi create(String region, URI endpoint) {
        if (endpoint == null) {
            return new ManagedFlinkHttpApi(URI.create("https://kinesisanalytics." + region + ".amazonaws.com/"),
                    region, DefaultCredentialsProvider.builder().build());
        }
        AwsCredentialsProvider credentials = Endpoints.isLoopback(endpoint)
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.builder().build();
        return new ManagedFlinkHttpApi(endpoint, region, credentials);
    }

    @Override
    public String applicationStatus(String application) {
        return call("DescribeApplication", body(application))
                .path("ApplicationDetail").path("ApplicationStatus").asText();
    }

    @Override
    public boolean hasSnapshots(String application) {
        ObjectNode request = body(application);
        request.put("Limit", 1);
        return call("ListApplicationSnapshots", request).path("SnapshotSummaries").size() > 0;
    }

    @Override
    public void startApplication(String application, boolean restoreLatestSnapshot) {
        ObjectNode request = body(application);
        ObjectNode run = request.putObject("RunConfiguration");
        run.putObject("ApplicationRestoreConfiguration").put("ApplicationRestoreType",
                restoreLatestSnapshot ? "RESTORE_FROM_LATEST_SNAPSHOT" : "SKIP_RESTORE_FROM_SNAPSHOT");
        run.putObject("FlinkRunConfiguration").put("AllowNonRestoredState", false);
        call("StartApplication", request);
    }

    private static ObjectNode body(String application) {
        ObjectNode request = JSON.createObjectNode();
        request.put("ApplicationName", application);
        return request;
    }

    private JsonNode call(String operation, ObjectNode request) {
        byte[] payload = request.toString().getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .uri(endpoint)
                .method(SdkHttpMethod.POST)
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("X-Amz-Target", TARGET_PREFIX + operation)
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder http = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            if (!RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(v -> http.header(header.getKey(), v));
            }
        }
        HttpResponse<String> response;
        try {
            response = this.http.send(http.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException("ConnectionError", "cannot reach " + endpoint + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("Interrupted", operation + " was interrupted");
        }
        JsonNode answer;
        try {
            answer = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ApiException("HTTP " + response.statusCode(), "not JSON: " + abbreviate(response.body()));
        }
        if (response.statusCode() / 100 != 2) {
            // "__type" is "ResourceNotFoundException" or "prefix#ResourceNotFoundException".
            String type = answer.path("__type").asText("HTTP " + response.statusCode());
            String message = answer.has("message") ? answer.path("message").asText()
                    : answer.path("Message").asText(abbreviate(response.body()));
            throw new ApiException(type.substring(type.indexOf('#') + 1), message);
        }
        return answer;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
