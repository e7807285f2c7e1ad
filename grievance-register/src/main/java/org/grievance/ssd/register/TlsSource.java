package org.grievance.ssd.register;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the server's TLS certificate and private key come from: PEM files (what a certificate
 * authority such as Let's Encrypt hands out) or a PKCS#12 keystore. {@link TlsKeys} reads either.
 */
public sealed interface TlsSource permits TlsSource.Pem, TlsSource.Pkcs12 {

  /**
   * PEM files.
   *
   * @param certificateChain the server's certificate first, then any intermediates
   * @param privateKey the unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY})
   */
  record Pem(Path certificateChain, Path privateKey) implements TlsSource {
    public Pem {
      Objects.requireNonNull(certificateChain, "certificateChain");
      Objects.requireNonNull(privateKey, "privateKey");
    }
  }

  /**
   * A PKCS#12 keystore holding one private key with its certificate chain; {@code password} opens
   * both. It is never printed: {@link #toString()} leaves it out.
   */
  record Pkcs12(Path keystore, String password) implements TlsSource {
    public Pkcs12 {
      Objects.requireNonNull(keystore, "keystore");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Pkcs12[keystore=" + keystore + ", password=(hidden)]";
    }
  }
}
