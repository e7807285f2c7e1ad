package org.grievance.ssd.register;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.grievance.ssd.register.workflow.GrievanceWorkflow;

/**
 * Officials and their bearer tokens. A token is 32 random bytes (256 bits), shown once when the
 * official is added; only its SHA-256 is stored. A fast hash is enough here because the token is
 * random, not a password a person chose: there is nothing to guess from a leaked hash.
 *
 * <p>A token may carry an expiry and may be revoked. Every request is checked against the database
 * (nothing is cached), so a revocation or an expiry takes effect on the next request.
 */
public final class Officials {
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._'-]{1,100}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Longest token looked up; real ones have 43 characters. Longer input is refused unhashed. */
  static final int MAX_TOKEN_LENGTH = 200;

  /** "Last used" is written at most this often per official, not on every request. */
  static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

  private final Database db;
  private final Clock clock;

  public Officials(Database db) {
    this(db, Clock.systemUTC());
  }

  /** Officials as of {@code clock} (tests move time to see tokens expire). */
  public Officials(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** An authenticated official. */
  public record Official(long id, String name) {}

  /**
   * What the register knows about an official's token, never the token or its hash; null fields:
   * never expires, not revoked, never used.
   */
  public record Account(
      String name, Instant created, Instant expires, Instant revoked, Instant lastUsed) {

    /** Whether the token authenticates at {@code now}. */
    public boolean isActive(Instant now) {
      return revoked == null && (expires == null || now.isBefore(expires));
    }
  }

  /** Adds an official whose token never expires; see {@link #add(String, Instant)}. */
  public String add(String name) throws SQLException {
    return add(name, null);
  }

  /**
   * Adds an official and returns the token (the only time it exists in clear).
   *
   * @param expires when the token stops working; null for never
   * @throws IllegalArgumentException if the name is malformed, reserved or taken, or {@code
   *     expires} is not in the future
   */
  public String add(String name, Instant expires) throws SQLException {
    checkName(name);
    checkExpiry(expires);
    String token = newToken();
    db.inTransaction(
        c -> {
          if (find(c, name).isPresent()) {
            throw new IllegalArgumentException(
                "an official named '" + name + "' exists (replace their token with --replace)");
          }
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO official (name, token_sha256, created_at, expires_at)"
                      + " VALUES (?, ?, ?, ?)")) {
            ins.setString(1, name);
            ins.setString(2, hash(token));
            ins.setObject(3, time(clock.instant()));
            ins.setObject(4, time(expires));
            ins.executeUpdate();
          }
          return null;
        });
    return token;
  }

  /**
   * Gives an existing official a new token and returns it: the old token stops working at once, a
   * revocation is lifted, {@code expires} replaces the old expiry, and {@code created} becomes now.
   * Their name, and with it the audit trail, stays.
   *
   * @throws IllegalArgumentException if there is no such official or {@code expires} is past
   */
  public String replaceToken(String name, Instant expires) throws SQLException {
    checkExpiry(expires);
    String token = newToken();
    db.inTransaction(
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE official SET token_sha256 = ?, created_at = ?, expires_at = ?,"
                      + " revoked_at = NULL, last_used_at = NULL WHERE name = ?")) {
            u.setString(1, hash(token));
            u.setObject(2, time(clock.instant()));
            u.setObject(3, time(expires));
            u.setString(4, name);
            if (u.executeUpdate() == 0) {
              throw noSuchOfficial(name);
            }
          }
          return null;
        });
    return token;
  }

  /**
   * Revokes an official's token from the next request on; returns false when it already was.
   *
   * @throws IllegalArgumentException if there is no such official
   */
  public boolean revoke(String name) throws SQLException {
    return db.inTransaction(
        c -> {
          Account a = find(c, name).orElseThrow(() -> noSuchOfficial(name));
          if (a.revoked() != null) {
            return false;
          }
          try (PreparedStatement u =
              c.prepareStatement("UPDATE official SET revoked_at = ? WHERE name = ?")) {
            u.setObject(1, time(clock.instant()));
            u.setString(2, name);
            u.executeUpdate();
          }
          return true;
        });
  }

  /** Every official, by name. */
  public List<Account> list() throws SQLException {
    return db.read(
        c -> {
          List<Account> out = new ArrayList<>();
          try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT name, created_at, expires_at, revoked_at, last_used_at"
                          + " FROM official ORDER BY name");
              ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              out.add(account(rs));
            }
          }
          return out;
        });
  }

  /**
   * The official holding {@code token}, if the token is known, not revoked and not expired. Marks
   * the official as used (at most once per {@link #LAST_USED_RESOLUTION}).
   */
  public Optional<Official> authenticate(String token) throws SQLException {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    String h = hash(token);
    Instant now = clock.instant();
    record Row(long id, Account account) {}
    Optional<Row> row =
        db.read(
            c -> {
              try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT id, name, created_at, expires_at, revoked_at, last_used_at"
                          + " FROM official WHERE token_sha256 = ?")) {
                q.setString(1, h);
                try (ResultSet rs = q.executeQuery()) {
                  if (!rs.next()) {
                    return Optional.empty();
                  }
                  Account a =
                      new Account(
                          rs.getString(2),
                          instant(rs, 3),
                          instant(rs, 4),
                          instant(rs, 5),
                          instant(rs, 6));
                  return Optional.of(new Row(rs.getLong(1), a));
                }
              }
            });
    if (row.isEmpty() || !row.get().account().isActive(now)) {
      return Optional.empty();
    }
    Account a = row.get().account();
    if (a.lastUsed() == null || a.lastUsed().isBefore(now.minus(LAST_USED_RESOLUTION))) {
      db.inTransaction(
          c -> {
            try (PreparedStatement u =
                c.prepareStatement("UPDATE official SET last_used_at = ? WHERE id = ?")) {
              u.setObject(1, time(now));
              u.setLong(2, row.get().id());
              u.executeUpdate();
            }
            return null;
          });
    }
    return Optional.of(new Official(row.get().id(), a.name()));
  }

  private static Optional<Account> find(Connection c, String name) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT name, created_at, expires_at, revoked_at, last_used_at FROM official"
                + " WHERE name = ?")) {
      q.setString(1, name);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? Optional.of(account(rs)) : Optional.empty();
      }
    }
  }

  private static Account account(ResultSet rs) throws SQLException {
    return new Account(
        rs.getString(1), instant(rs, 2), instant(rs, 3), instant(rs, 4), instant(rs, 5));
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches() || name.isBlank()) {
      throw new IllegalArgumentException(
          "official name must be 1-100 letters, digits, spaces or . _ ' -, got '" + name + "'");
    }
    if (name.strip().toLowerCase(Locale.ROOT).equals(GrievanceWorkflow.CITIZEN)) {
      throw new IllegalArgumentException(
          "'" + name + "' is reserved: the audit trail names submitters so");
    }
  }

  private void checkExpiry(Instant expires) {
    if (expires != null && !expires.isAfter(clock.instant())) {
      throw new IllegalArgumentException("the expiry " + expires + " is not in the future");
    }
  }

  private static IllegalArgumentException noSuchOfficial(String name) {
    return new IllegalArgumentException("no official named '" + name + "'");
  }

  private static String newToken() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private static OffsetDateTime time(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static String hash(String token) {
    return PhotoStore.sha256(token.getBytes(StandardCharsets.UTF_8));
  }
}
