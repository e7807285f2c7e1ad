package org.grievance.ssd.register.workflow;

/** Great-circle distances on a spherical Earth (haversine; error under 0.5 %, plenty for 50 m). */
public final class GeoDistance {
  /** Mean Earth radius (IUGG), metres. */
  public static final double EARTH_RADIUS_METERS = 6_371_008.8;

  private GeoDistance() {}

  /** Distance in metres between two points given in degrees. */
  public static double meters(double lat1, double lon1, double lat2, double lon2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double dp = p2 - p1;
    double dl = Math.toRadians(lon2 - lon1);
    double a =
        Math.sin(dp / 2) * Math.sin(dp / 2)
            + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  /** Latitude span, in degrees, of {@code meters} north–south (for a bounding-box prefilter). */
  public static double latitudeDegrees(double meters) {
    return Math.toDegrees(meters / EARTH_RADIUS_METERS);
  }

  /** A latitude/longitude rectangle in degrees, bounds inclusive; longitudes are not wrapped. */
  public record Box(
      double minLatitude, double maxLatitude, double minLongitude, double maxLongitude) {}

  /**
   * A box holding every point within {@code meters} of ({@code latitude}, {@code longitude}). Its
   * longitude span is taken at the box's edge farthest from the equator, where a metre spans the
   * most longitude, so no point of the circle falls outside it.
   */
  public static Box around(double latitude, double longitude, double meters) {
    double dLat = latitudeDegrees(meters);
    double dLon = longitudeDegrees(meters, Math.min(90, Math.abs(latitude) + dLat));
    return new Box(latitude - dLat, latitude + dLat, longitude - dLon, longitude + dLon);
  }

  /**
   * Longitude span, in degrees, of {@code meters} east–west at {@code latitude}; 360 near the
   * poles, where every longitude is close.
   */
  public static double longitudeDegrees(double meters, double latitude) {
    double c = Math.cos(Math.toRadians(latitude));
    if (c < 1e-6) {
      return 360;
    }
    return Math.min(360, Math.toDegrees(meters / (EARTH_RADIUS_METERS * c)));
  }
}
