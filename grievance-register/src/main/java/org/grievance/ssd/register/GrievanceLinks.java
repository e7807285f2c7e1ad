package org.grievance.ssd.register;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The URLs of a grievance, as the API hands them out: all relative to the server's root and all
 * named by the tracking id, so the same links serve the public and officials (who may also use the
 * numeric id).
 */
final class GrievanceLinks {
  private GrievanceLinks() {}

  /** The grievance's resource, {@code /api/grievances/{trackingId}}. */
  static String self(String trackingId) {
    return "/api/grievances/" + trackingId;
  }

  /** The web page that tracks the grievance (the id is in the fragment: never sent anywhere). */
  static String page(String trackingId) {
    return "/#track=" + trackingId;
  }

  /** The {@code links} object of a grievance: self, photo, annotated photo and tracking page. */
  static Map<String, String> of(String trackingId) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("self", self(trackingId));
    m.put("photo", self(trackingId) + "/image");
    m.put("annotated", self(trackingId) + "/image?annotated=true");
    m.put("page", page(trackingId));
    return m;
  }
}
