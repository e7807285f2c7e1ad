package org.grievance.ssd.register;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link TlsSource} into a key store Jetty can serve from, at start-up, so that a wrong
 * password, a key that does not belong to the certificate or an unsupported key format stops the
 * server with a message naming the file instead of failing the first handshake.
 */
final class TlsKeys {
  private static final Pattern PEM_KEY =
      Pattern.compile("-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END");

  private TlsKeys() {}

  /** A loaded key store and the password of its key entry. */
  record Loaded(KeyStore keyStore, String password) {}

  static Loaded load(TlsSource source) throws IOException {
    if (source instanceof TlsSource.Pkcs12 p) {
      return pkcs12(p);
    }
    return pem((TlsSource.Pem) source);
  }

  private static Loaded pkcs12(TlsSource.Pkcs12 p) throws IOException {
    KeyStore ks;
    try (InputStream in = Files.newInputStream(p.keystore())) {
      ks = KeyStore.getInstance("PKCS12");
      ks.load(in, p.password().toCharArray());
    } catch (GeneralSecurityException | IOException e) {
      throw new IOException(
          "cannot read the PKCS#12 keystore "
              + p.keystore()
              + " (wrong password, or not a PKCS#12 file?): "
              + e.getMessage(),
          e);
    }
    try {
      for (String alias : Collections.list(ks.aliases())) {
        if (ks.isKeyEntry(alias)) {
          return new Loaded(ks, p.password());
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the PKCS#12 keystore " + p.keystore(), e);
    }
    throw new IOException(
        "the keystore " + p.keystore() + " holds no private key (only certificates)");
  }

  private static Loaded pem(TlsSource.Pem p) throws IOException {
    Certificate[] chain;
    try (InputStream in = Files.newInputStream(p.certificateChain())) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      chain = certs.toArray(Certificate[]::new);
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot read the certificate " + p.certificateChain() + ": " + e.getMessage(), e);
    }
    if (chain.length == 0) {
      throw new IOException("no certificate in " + p.certificateChain());
    }
    String text = Files.readString(p.privateKey(), StandardCharsets.US_ASCII);
    Matcher m = PEM_KEY.matcher(text);
    if (!m.find()) {
      throw new IOException("no 'BEGIN PRIVATE KEY' block in " + p.privateKey());
    }
    if (!m.group(1).isEmpty()) {
      throw new IOException(
          p.privateKey()
              + " holds a '"
              + m.group(1).strip()
              + " PRIVATE KEY'; convert it to an unencrypted PKCS#8 key first:"
              + " openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem");
    }
    String algorithm = chain[0].getPublicKey().getAlgorithm();
    PrivateKey key;
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(
          "cannot read the "
              + algorithm
              + " private key in "
              + p.privateKey()
              + " (the certificate's key type): "
              + e.getMessage(),
          e);
    }
    requireMatch(key, chain[0], p);
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String password = HexFormat.of().formatHex(random);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", key, password.toCharArray(), chain);
      return new Loaded(ks, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot hold the key of " + p.privateKey() + " in a key store", e);
    }
  }

  /** Signs with the key and verifies with the certificate: a mismatch fails here, not later. */
  private static void requireMatch(PrivateKey key, Certificate cert, TlsSource.Pem p)
      throws IOException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> null;
        };
    if (algorithm == null) {
      return;
    }
    try {
      byte[] probe = "ssd-register".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] signature = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      if (v.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // falls through to the mismatch below
    }
    throw new IOException(
        "the private key " + p.privateKey() + " does not belong to " + p.certificateChain());
  }
}
