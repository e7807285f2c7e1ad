package org.grievance.ssd.register;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3-compatible server of the S3 tests: {@code REGISTER_TEST_S3_URL} (environment) or {@code
 * register.test.s3} (system property), {@code http://ACCESS_KEY:SECRET_KEY@HOST:PORT}, as printed
 * by {@code .ci/start-test-s3.sh}; without it the S3 tests are skipped. Each test gets its own
 * bucket.
 */
final class TestS3 {
  private TestS3() {}

  /** The server's URL with its credentials; skips the calling test when none is set. */
  static URI serverUrl() {
    String url = System.getProperty("register.test.s3");
    if (url == null || url.isBlank()) {
      url = System.getenv("REGISTER_TEST_S3_URL");
    }
    assumeTrue(
        url != null && !url.isBlank(),
        "REGISTER_TEST_S3_URL is not set (start .ci/start-test-s3.sh): S3 tests skipped");
    URI uri = URI.create(url);
    assumeTrue(uri.getUserInfo() != null, "REGISTER_TEST_S3_URL lacks KEY:SECRET@");
    return uri;
  }

  /** The endpoint without credentials. */
  static URI endpoint() {
    URI u = serverUrl();
    return URI.create(u.getScheme() + "://" + u.getHost() + ":" + u.getPort());
  }

  static String accessKey() {
    return serverUrl().getUserInfo().split(":", 2)[0];
  }

  static String secretKey() {
    return serverUrl().getUserInfo().split(":", 2)[1];
  }

  /** The credentials as the environment of a child process ({@code ssd serve}) expects them. */
  static Map<String, String> credentialEnvironment() {
    return Map.of("AWS_ACCESS_KEY_ID", accessKey(), "AWS_SECRET_ACCESS_KEY", secretKey());
  }

  /**
   * Makes the credentials visible to this JVM's SDK default chain (its system properties), the way
   * an operator's environment variables would be.
   */
  static void useCredentials() {
    System.setProperty("aws.accessKeyId", accessKey());
    System.setProperty("aws.secretAccessKey", secretKey());
  }

  /** A new, empty bucket; returns its name. */
  static String createBucket() {
    String bucket = "register-test-" + UUID.randomUUID().toString().substring(0, 18);
    try (S3Client s3 = client()) {
      s3.createBucket(r -> r.bucket(bucket));
    }
    return bucket;
  }

  /** A location in a new bucket, under a prefix (as an operator would share one bucket). */
  static PhotoLocation.S3 freshLocation() {
    useCredentials();
    return new PhotoLocation.S3(createBucket(), "photos/", endpoint(), "us-east-1", true);
  }

  static S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey())))
        .httpClientBuilder(
            software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
        .build();
  }
}
