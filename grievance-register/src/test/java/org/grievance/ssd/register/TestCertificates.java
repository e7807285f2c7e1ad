package org.grievance.ssd.register;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for the TLS tests, made by the JDK's own {@code keytool} (no library
 * needed): a PKCS#12 keystore for {@code localhost} and {@code 127.0.0.1}, the same key and
 * certificate as PEM files, and a client context that trusts exactly that certificate.
 */
final class TestCertificates {
  static final String ALIAS = "server";

  private TestCertificates() {}

  /** A new RSA key and self-signed certificate in a PKCS#12 file. */
  static Path pkcs12(Path dir, String password) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path store = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                ALIAS,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                password,
                "-keypass",
                password)
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + log);
    }
    return store;
  }

  /** The keystore's certificate and key as PEM files: {@code [certificate, key]}. */
  static Path[] pem(Path store, String password, Path dir) throws Exception {
    KeyStore ks = load(store, password);
    Certificate cert = ks.getCertificate(ALIAS);
    Key key = ks.getKey(ALIAS, password.toCharArray());
    Files.createDirectories(dir);
    Path certFile = dir.resolve("cert.pem");
    Path keyFile = dir.resolve("key.pem");
    Files.writeString(certFile, pemBlock("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyFile, pemBlock("PRIVATE KEY", key.getEncoded()));
    return new Path[] {certFile, keyFile};
  }

  static String pemBlock(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** A client TLS context that trusts the keystore's certificate and nothing else. */
  static SSLContext trusting(Path store, String password) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(ALIAS, load(store, password).getCertificate(ALIAS));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static KeyStore load(Path store, String password)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }
}
