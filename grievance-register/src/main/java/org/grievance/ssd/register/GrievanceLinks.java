package org.grievance.ssd.register;

import java.util.LinkedHashMap;
import java.util.Map;

/** The URLs of a grievance, as the API hands them out: all relative to the server's root. */
final class GrievanceLinks {
  private GrievanceLinks() {}

  /** The grievance's resource, {@code /api/grievances/{id}}. */
  static String self(long id) {
    return "/api/grievances/" + id;
  }

  /** The web page that tracks the grievance. */
  static String page(long id) {
    return "/#track=" + id;
  }

  /** The {@code links} object of a grievance: self, photo, annotated photo and tracking page. */
  static Map<String, String> of(long id) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("self", self(id));
    m.put("photo", self(id) + "/image");
    m.put("annotated", self(id) + "/image?annotated=true");
    m.put("page", page(id));
    return m;
  }
}
