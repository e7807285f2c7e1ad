package org.grievance.ssd.register;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The photo store in an S3 bucket (AWS or any S3-compatible server), shared by every replica of the
 * register: one object per photo at {@code PREFIX/ab/abcdef…}. A PUT is atomic (a reader sees the
 * whole object or none) and S3 answers it only once the object is durable, so {@link #put} keeps
 * the folder store's promise; it sends the bytes' MD5 so that the server refuses a corrupted
 * upload, and {@link #read} checks the bytes it gets against their name.
 *
 * <p>Credentials come from the SDK's default chain: {@code AWS_ACCESS_KEY_ID} and {@code
 * AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN}), then the shared profile files and the
 * machine's role. The SDK's newer default of checksumming every request with a trailer is turned
 * off (checksums only where the API requires them), since several S3-compatible servers do not
 * understand it; Content-MD5 does the same job everywhere.
 */
public final class S3PhotoStore implements PhotoStore {
  private final S3Client s3;
  private final PhotoLocation.S3 location;

  private S3PhotoStore(S3Client s3, PhotoLocation.S3 location) {
    this.s3 = s3;
    this.location = location;
  }

  /**
   * Connects and checks that the bucket is there and these credentials may use it; otherwise throws
   * an {@link IOException} that names the bucket, the endpoint and what to check.
   */
  public static S3PhotoStore open(PhotoLocation.S3 location) throws IOException {
    var b =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(30)))
            .region(Region.of(location.region()))
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .forcePathStyle(location.pathStyle())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)));
    if (location.endpoint() != null) {
      b.endpointOverride(location.endpoint());
    }
    S3Client s3 = b.build();
    S3PhotoStore store = new S3PhotoStore(s3, location);
    try {
      s3.headBucket(r -> r.bucket(location.bucket()));
    } catch (SdkException e) {
      s3.close();
      throw store.unusable(e);
    }
    return store;
  }

  /** Why the bucket cannot be used, in words an operator can act on. */
  private IOException unusable(SdkException e) {
    String where = "bucket '" + location.bucket() + "' at " + endpoint();
    String why;
    if (e instanceof S3Exception s && s.statusCode() == 404) {
      why = where + " does not exist: create it, or correct --photos";
    } else if (e instanceof S3Exception s && (s.statusCode() == 403 || s.statusCode() == 401)) {
      why =
          "access to "
              + where
              + " was refused: check the credentials (AWS_ACCESS_KEY_ID and"
              + " AWS_SECRET_ACCESS_KEY) and that they may use the bucket";
    } else if (e instanceof S3Exception s && (s.statusCode() == 301 || s.statusCode() == 400)) {
      why =
          where
              + " answered "
              + s.statusCode()
              + ": check --s3-region (now "
              + location.region()
              + ") and --s3-path-style";
    } else {
      why = "cannot use " + where + ": " + firstLine(e.getMessage());
    }
    return new IOException("photo store: " + why);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private String endpoint() {
    return location.endpoint() == null
        ? "AWS S3 (region " + location.region() + ")"
        : location.endpoint().toString();
  }

  @Override
  public String describe() {
    return location.url() + " at " + endpoint();
  }

  private String objectKey(String hash) {
    return location.prefix() + PhotoStore.key(hash);
  }

  /** An SDK failure as the {@link IOException} the store's callers handle. */
  private IOException failed(String what, String hash, SdkException e) {
    return new IOException(
        what + " photo " + hash + " in " + describe() + " failed: " + firstLine(e.getMessage()), e);
  }

  /**
   * PUTs the photo whether or not it is there: the same key always holds the same bytes, and the
   * fresh modification time is what tells {@link OrphanPhotos} that a request is about to reference
   * it.
   */
  @Override
  public String put(byte[] bytes) throws IOException {
    String hash = PhotoStore.sha256(bytes);
    try {
      s3.putObject(
          r ->
              r.bucket(location.bucket())
                  .key(objectKey(hash))
                  .contentMD5(md5(bytes))
                  .contentLength((long) bytes.length),
          RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw failed("storing", hash, e);
    }
    return hash;
  }

  private static String md5(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }

  @Override
  public byte[] read(String hash) throws IOException {
    byte[] bytes;
    try {
      bytes =
          s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(objectKey(hash))).asByteArray();
    } catch (SdkException e) {
      throw failed("reading", hash, e);
    }
    if (!PhotoStore.sha256(bytes).equals(hash)) {
      throw new IOException(
          "photo " + hash + " in " + describe() + " does not hold the bytes its name promises");
    }
    return bytes;
  }

  @Override
  public InputStream open(String hash) throws IOException {
    try {
      return s3.getObject(r -> r.bucket(location.bucket()).key(objectKey(hash)));
    } catch (SdkException e) {
      throw failed("reading", hash, e);
    }
  }

  @Override
  public boolean exists(String hash) throws IOException {
    return head(hash) != null;
  }

  /** The object's metadata, or null when there is none. */
  private HeadObjectResponse head(String hash) throws IOException {
    try {
      return s3.headObject(r -> r.bucket(location.bucket()).key(objectKey(hash)));
    } catch (NoSuchKeyException e) {
      return null;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw failed("looking up", hash, e);
    } catch (SdkException e) {
      throw failed("looking up", hash, e);
    }
  }

  /**
   * Lists the prefix page by page (1,000 keys a request); S3 lists keys in ascending byte order,
   * which for these names is the order of the hashes.
   */
  @Override
  public Stream<String> hashes() throws IOException {
    int skip = location.prefix().length() + 3; // "ab/"
    try {
      return s3
          .listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(location.prefix()))
          .contents()
          .stream()
          .map(o -> o.key())
          .filter(k -> k.length() == skip + 64 && k.charAt(skip - 1) == '/')
          .map(k -> k.substring(skip))
          .filter(PhotoStore::isHash);
    } catch (SdkException e) {
      throw new IOException("listing " + describe() + " failed: " + firstLine(e.getMessage()), e);
    }
  }

  @Override
  public long deleteIfOlder(String hash, Instant cutoff) throws IOException {
    HeadObjectResponse head = head(hash);
    if (head == null || !head.lastModified().isBefore(cutoff)) {
      return -1;
    }
    try {
      s3.deleteObject(r -> r.bucket(location.bucket()).key(objectKey(hash)));
    } catch (SdkException e) {
      throw failed("deleting", hash, e);
    }
    return head.contentLength();
  }

  /** A PUT is atomic: nothing is ever left half-written. */
  @Override
  public int sweepTemporaryFiles() {
    return 0;
  }

  @Override
  public void close() {
    s3.close();
  }
}
