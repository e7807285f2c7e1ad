package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 photo store against a real S3-compatible server ({@link TestS3}): a round trip, the
 * listing and sweeping the orphan sweep relies on, and the start-up errors an operator sees for a
 * missing bucket, wrong credentials and an unreachable endpoint.
 */
class S3PhotoStoreTest {
  @TempDir Path tmp;

  @Test
  void storesReadsListsAndDeletesPhotosByTheirHash() throws Exception {
    try (PhotoStore store = PhotoStore.open(TestS3.freshLocation())) {
      byte[] a = OperationsContract.randomBytes(1);
      byte[] b = OperationsContract.randomBytes(2);
      String ha = store.put(a);
      String hb = store.put(b);
      assertThat(ha).isEqualTo(PhotoStore.sha256(a));
      assertThat(store.put(a)).as("the same bytes, the same name").isEqualTo(ha);
      assertThat(store.read(ha)).isEqualTo(a);
      try (InputStream in = store.open(hb)) {
        assertThat(in.readAllBytes()).isEqualTo(b);
      }
      assertThat(store.exists(ha)).isTrue();
      String missing = PhotoStore.sha256(new byte[] {9});
      assertThat(store.exists(missing)).isFalse();
      assertThatThrownBy(() -> store.read(missing)).isInstanceOf(IOException.class);
      try (Stream<String> hashes = store.hashes()) {
        assertThat(hashes).containsExactlyElementsOf(new java.util.TreeSet<>(List.of(ha, hb)));
      }
      assertThat(store.deleteIfOlder(ha, Instant.now().minusSeconds(3600)))
          .as("stored just now: too recent to delete")
          .isEqualTo(-1);
      assertThat(store.deleteIfOlder(ha, Instant.now().plusSeconds(60))).isEqualTo(a.length);
      assertThat(store.exists(ha)).isFalse();
      assertThat(store.deleteIfOlder(ha, Instant.now().plusSeconds(60))).isEqualTo(-1);
      assertThat(store.sweepTemporaryFiles()).isZero();
    }
  }

  @Test
  void listsManyPhotosInHashOrderAcrossPages() throws Exception {
    try (PhotoStore store = PhotoStore.open(TestS3.freshLocation())) {
      List<String> put = new ArrayList<>();
      for (int i = 0; i < 1100; i++) { // more than one listing page of 1,000
        put.add(store.put(OperationsContract.randomBytes(100 + i)));
      }
      try (Stream<String> hashes = store.hashes()) {
        assertThat(hashes).containsExactlyElementsOf(put.stream().sorted().distinct().toList());
      }
    }
  }

  @Test
  void orphanSweepDeletesOnlyUnreferencedPhotosFromTheBucket() throws Exception {
    RegisterConfig config = RegisterConfig.builder(tmp).dataDir(tmp.resolve("data")).build();
    try (PhotoStore store = PhotoStore.open(TestS3.freshLocation());
        Database db = Database.open(config.effectiveJdbcUrl())) {
      String photo = store.put(OperationsContract.randomBytes(1));
      String annotated = store.put(OperationsContract.randomBytes(2));
      OperationsContract.insert(db, photo, annotated);
      String orphan = store.put(OperationsContract.randomBytes(3));
      assertThat(OrphanPhotos.sweep(db, store, Instant.now().minus(Duration.ofHours(1))).files())
          .as("the orphan is too recent: a request may be about to reference it")
          .isZero();
      OrphanPhotos.Swept swept = OrphanPhotos.sweep(db, store, Instant.now().plusSeconds(60));
      assertThat(swept.files()).isEqualTo(1);
      assertThat(store.exists(orphan)).isFalse();
      assertThat(store.exists(photo)).isTrue();
      assertThat(store.exists(annotated)).isTrue();
    }
  }

  @Test
  void aMissingBucketIsRefusedAtOpeningWithItsNameAndEndpoint() {
    TestS3.useCredentials();
    PhotoLocation.S3 location =
        new PhotoLocation.S3("no-such-bucket-here", "", TestS3.endpoint(), "us-east-1", true);
    assertThatThrownBy(() -> PhotoStore.open(location))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bucket 'no-such-bucket-here'")
        .hasMessageContaining(TestS3.endpoint().toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void wrongCredentialsAreRefusedAtOpeningNamingTheCredentials() {
    String bucket = TestS3.createBucket();
    System.setProperty("aws.accessKeyId", "nobody");
    System.setProperty("aws.secretAccessKey", "wrong-secret");
    try {
      PhotoLocation.S3 location =
          new PhotoLocation.S3(bucket, "", TestS3.endpoint(), "us-east-1", true);
      assertThatThrownBy(() -> PhotoStore.open(location))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("bucket '" + bucket + "'")
          .hasMessageContaining("AWS_ACCESS_KEY_ID");
    } finally {
      TestS3.useCredentials();
    }
  }

  @Test
  void anUnreachableEndpointIsRefusedAtOpeningWithItsAddress() throws Exception {
    TestS3.useCredentials();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    URI nowhere = URI.create("http://127.0.0.1:" + port);
    PhotoLocation.S3 location = new PhotoLocation.S3("photos", "", nowhere, "us-east-1", true);
    assertThatThrownBy(() -> PhotoStore.open(location))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bucket 'photos' at " + nowhere);
  }
}
