package org.grievance.ssd.register;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who a request comes from when a reverse proxy may stand in front: {@code X-Forwarded-For} and
 * {@code X-Forwarded-Proto} are believed only when the connection itself comes from a configured
 * proxy. Anyone else can write those headers, so believing them from everyone would let a client
 * pick its own address (and with it its own rate-limit bucket).
 */
final class ForwardedHeaders {
  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern IPV4_PORT = Pattern.compile("(" + IPV4.pattern() + "):\\d{1,5}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern IPV6_PORT = Pattern.compile("\\[([0-9A-Fa-f:.]+)](:\\d{1,5})?");

  private final Set<InetAddress> trusted = new HashSet<>();

  /**
   * @param trustedProxies IP literals (v4 or v6) of the proxies whose headers are believed
   * @throws IllegalArgumentException naming an entry that is not an IP literal
   */
  ForwardedHeaders(Collection<String> trustedProxies) {
    for (String p : trustedProxies) {
      InetAddress a = literal(p);
      if (a == null) {
        throw new IllegalArgumentException("not an IP address: '" + p + "'");
      }
      trusted.add(a);
    }
  }

  /**
   * The address an IP literal names, without ever asking DNS: {@code 192.0.2.7}, {@code ::1},
   * {@code [2001:db8::1]}, or either with a port ({@code 192.0.2.7:443}, {@code [::1]:443}); null
   * for anything else, host names included.
   */
  static InetAddress literal(String text) {
    if (text == null) {
      return null;
    }
    String v = text.strip();
    var bracketed = IPV6_PORT.matcher(v);
    if (bracketed.matches()) {
      v = bracketed.group(1);
    } else {
      var withPort = IPV4_PORT.matcher(v);
      if (withPort.matches()) {
        v = withPort.group(1);
      }
    }
    // Both patterns leave only text that InetAddress parses as a literal (digits and dots, or
    // text with a colon); it never resolves such text as a host name.
    if (!IPV4.matcher(v).matches() && !IPV6.matcher(v).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(v);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private boolean isTrusted(String address) {
    InetAddress a = literal(address);
    return a != null && trusted.contains(a);
  }

  /**
   * The client's address: the connection's peer, unless that peer is a trusted proxy; then the
   * {@code X-Forwarded-For} chain is read from the right (the hop the proxy itself appended) and
   * the first address that is not a trusted proxy is the client. A malformed entry ends the walk at
   * the last address known to be good.
   *
   * @param remote the connection's peer address
   * @param forwardedFor every {@code X-Forwarded-For} header value, in order
   */
  String clientAddress(String remote, List<String> forwardedFor) {
    if (!isTrusted(remote)) {
      return remote;
    }
    List<String> hops = hops(forwardedFor);
    String client = remote;
    for (int i = hops.size() - 1; i >= 0; i--) {
      InetAddress a = literal(hops.get(i));
      if (a == null) {
        return client;
      }
      client = a.getHostAddress();
      if (!trusted.contains(a)) {
        return client;
      }
    }
    return client;
  }

  /**
   * Whether the client reached a trusted proxy over HTTPS: the last {@code X-Forwarded-Proto}
   * value, believed only from a trusted peer.
   */
  boolean forwardedHttps(String remote, List<String> forwardedProto) {
    if (!isTrusted(remote)) {
      return false;
    }
    List<String> hops = hops(forwardedProto);
    return !hops.isEmpty() && "https".equalsIgnoreCase(hops.get(hops.size() - 1));
  }

  /** The comma-separated entries of every header value, in order. */
  private static List<String> hops(List<String> values) {
    List<String> out = new ArrayList<>();
    if (values == null) {
      return out;
    }
    for (String v : values) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }
}
