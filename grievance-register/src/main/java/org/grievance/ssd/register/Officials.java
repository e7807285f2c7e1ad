package org.grievance.ssd.register;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Officials and their bearer tokens. A token is 32 random bytes (256 bits), shown once when the
 * official is added; only its SHA-256 is stored. A fast hash is enough here because the token is
 * random, not a password a person chose: there is nothing to guess from a leaked hash.
 */
public final class Officials {
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._'-]{1,100}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;

  public Officials(Database db) {
    this.db = db;
  }

  /** An authenticated official. */
  public record Official(long id, String name) {}

  /**
   * Adds an official and returns the token (the only time it exists in clear).
   *
   * @throws IllegalArgumentException if the name is malformed or taken
   */
  public String add(String name) throws SQLException {
    if (name == null || !NAME.matcher(name).matches() || name.isBlank()) {
      throw new IllegalArgumentException(
          "official name must be 1-100 letters, digits, spaces or . _ ' -, got '" + name + "'");
    }
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    db.inTransaction(
        c -> {
          try (PreparedStatement exists =
              c.prepareStatement("SELECT 1 FROM official WHERE name = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
              if (rs.next()) {
                throw new IllegalArgumentException("an official named '" + name + "' exists");
              }
            }
          }
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO official (name, token_sha256, created_at) VALUES (?, ?, ?)")) {
            ins.setString(1, name);
            ins.setString(2, hash(token));
            ins.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            ins.executeUpdate();
          }
          return null;
        });
    return token;
  }

  /** The official holding {@code token}, if any. */
  public Optional<Official> authenticate(String token) throws SQLException {
    if (token == null || token.isEmpty() || token.length() > 200) {
      return Optional.empty();
    }
    String h = hash(token);
    return db.read(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT id, name FROM official WHERE token_sha256 = ?")) {
            q.setString(1, h);
            try (ResultSet rs = q.executeQuery()) {
              return rs.next()
                  ? Optional.of(new Official(rs.getLong(1), rs.getString(2)))
                  : Optional.empty();
            }
          }
        });
  }

  static String hash(String token) {
    return PhotoStore.sha256(token.getBytes(StandardCharsets.UTF_8));
  }
}
