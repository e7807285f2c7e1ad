package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the service meets the network, whatever the database: where it binds by default, HTTPS from a
 * PKCS#12 keystore or PEM files (and no plain HTTP on that port), and which forwarded headers it
 * believes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExposureTest {
  static final String PASSWORD = "test-keystore-password";

  Path tmp;
  Path model;
  Path keystore;

  @BeforeAll
  void createModelAndCertificate(@TempDir Path dir) throws Exception {
    tmp = dir;
    model = TestModels.create(tmp.resolve("run"));
    keystore = TestCertificates.pkcs12(tmp.resolve("tls"), PASSWORD);
  }

  RegisterConfig.Builder config(String name) {
    return RegisterConfig.builder(model).port(0).dataDir(tmp.resolve(name)).workers(1);
  }

  @Test
  void bindsToLoopbackUnlessToldOtherwise() throws Exception {
    assertThat(RegisterConfig.builder(model).build().host()).isEqualTo("127.0.0.1");
    try (RegisterServer server = RegisterServer.start(config("loopback").build())) {
      assertThat(new Http(server.port()).get("/api/health").status()).isEqualTo(200);
      // When the machine has another address, nothing listens on it.
      Optional<InetAddress> outside = nonLoopbackAddress();
      if (outside.isPresent()) {
        try (Socket s = new Socket()) {
          assertThatThrownBy(
                  () -> s.connect(new InetSocketAddress(outside.get(), server.port()), 2000))
              .isInstanceOf(IOException.class);
        }
      }
    }
  }

  static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void servesHttpsFromAPkcs12KeystoreAndNoPlainHttpOnThatPort() throws Exception {
    RegisterConfig c = config("pkcs12").tls(new TlsSource.Pkcs12(keystore, PASSWORD)).build();
    try (RegisterServer server = RegisterServer.start(c)) {
      assertThat(server.isTls()).isTrue();
      Http https = https(server.port());
      Http.Response r = https.get("/api/health");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("status").asText()).isEqualTo("ok");
      assertThat(r.header("Strict-Transport-Security")).isEqualTo("max-age=31536000");
      assertThat(https.get("/").header("Strict-Transport-Security")).isNotNull();
      // A plain HTTP request to the TLS port gets no HTTP answer at all.
      Http plain = new Http(server.port());
      assertThatThrownBy(() -> plain.get("/api/health")).isInstanceOf(IOException.class);
    }
  }

  @Test
  void servesHttpsFromPemFiles() throws Exception {
    Path[] pem = TestCertificates.pem(keystore, PASSWORD, tmp.resolve("tls"));
    RegisterConfig c = config("pem").tls(new TlsSource.Pem(pem[0], pem[1])).build();
    try (RegisterServer server = RegisterServer.start(c)) {
      assertThat(https(server.port()).get("/api/health").status()).isEqualTo(200);
    }
  }

  @Test
  void badKeyMaterialStopsTheStartWithAMessageNamingTheFile() throws Exception {
    Path[] pem = TestCertificates.pem(keystore, PASSWORD, tmp.resolve("tls-bad"));
    Path rsa = tmp.resolve("tls-bad/rsa.pem");
    Files.writeString(
        rsa,
        Files.readString(pem[1]).replace("PRIVATE KEY", "RSA PRIVATE KEY"),
        java.nio.charset.StandardCharsets.US_ASCII);
    Path other = TestCertificates.pkcs12(tmp.resolve("tls-other"), PASSWORD);
    Path[] otherPem = TestCertificates.pem(other, PASSWORD, tmp.resolve("tls-other"));

    assertThatThrownBy(
            () ->
                RegisterServer.start(
                    config("bad1").tls(new TlsSource.Pkcs12(keystore, "wrong")).build()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(keystore.toString())
        .hasMessageContaining("password");
    assertThatThrownBy(
            () -> RegisterServer.start(config("bad2").tls(new TlsSource.Pem(pem[0], rsa)).build()))
        .hasMessageContaining("openssl pkcs8");
    assertThatThrownBy(
            () ->
                RegisterServer.start(
                    config("bad3").tls(new TlsSource.Pem(pem[0], otherPem[1])).build()))
        .hasMessageContaining("does not belong to");
    assertThat(new TlsSource.Pkcs12(keystore, PASSWORD).toString()).doesNotContain(PASSWORD);
  }

  Http https(int port) throws Exception {
    HttpClient client =
        HttpClient.newBuilder().sslContext(TestCertificates.trusting(keystore, PASSWORD)).build();
    return new Http("https://127.0.0.1:" + port, client);
  }

  @Test
  void forwardedProtoIsBelievedOnlyFromATrustedProxy() throws Exception {
    try (RegisterServer trusting =
            RegisterServer.start(config("proxy").trustedProxies(List.of("127.0.0.1")).build());
        RegisterServer direct = RegisterServer.start(config("direct").build())) {
      for (RegisterServer s : List.of(trusting, direct)) {
        Http http = new Http(s.port());
        Http.Response r =
            http.send(http.request("/api/health").header("X-Forwarded-Proto", "https").GET());
        assertThat(r.header("Strict-Transport-Security") != null)
            .as("HSTS behind a proxy that says https")
            .isEqualTo(s == trusting);
        assertThat(http.get("/api/health").header("Strict-Transport-Security")).isNull();
      }
    }
  }

  @Test
  void clientAddressFollowsForwardedForOnlyThroughTrustedProxies() {
    ForwardedHeaders h = new ForwardedHeaders(List.of("10.0.0.1", "10.0.0.2", "::1"));
    // An untrusted peer is the client, whatever it writes.
    assertThat(h.clientAddress("203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
    // A trusted proxy: the rightmost address that is not a trusted proxy.
    assertThat(h.clientAddress("10.0.0.1", List.of("198.51.100.1, 203.0.113.7")))
        .isEqualTo("203.0.113.7");
    assertThat(h.clientAddress("10.0.0.1", List.of("203.0.113.7, 10.0.0.2")))
        .isEqualTo("203.0.113.7");
    assertThat(h.clientAddress("10.0.0.1", List.of("198.51.100.1", "203.0.113.7:5123")))
        .isEqualTo("203.0.113.7");
    // A client forging the header only prepends entries the walk never reaches.
    assertThat(h.clientAddress("10.0.0.1", List.of("1.2.3.4, 203.0.113.7")))
        .isEqualTo("203.0.113.7");
    // No header, or garbage where the proxy's own entry should be: the proxy itself.
    assertThat(h.clientAddress("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
    assertThat(h.clientAddress("10.0.0.1", List.of("unknown"))).isEqualTo("10.0.0.1");
    assertThat(h.clientAddress("0:0:0:0:0:0:0:1", List.of("[2001:db8::5]:443")))
        .isEqualTo("2001:db8:0:0:0:0:0:5");
    assertThat(h.forwardedHttps("10.0.0.1", List.of("https"))).isTrue();
    assertThat(h.forwardedHttps("203.0.113.9", List.of("https"))).isFalse();
    assertThat(h.forwardedHttps("10.0.0.1", List.of("https, http"))).isFalse();
  }

  @Test
  void trustedProxiesMustBeIpLiteralsNeverNames() {
    assertThat(ForwardedHeaders.literal("192.0.2.1")).isNotNull();
    assertThat(ForwardedHeaders.literal("[::1]")).isNotNull();
    assertThat(ForwardedHeaders.literal("example.org")).isNull();
    assertThat(ForwardedHeaders.literal("256.1.1.1")).isNull();
    assertThatThrownBy(() -> config("names").trustedProxies(List.of("proxy.local")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trustedProxies")
        .hasMessageContaining("proxy.local");
  }
}
