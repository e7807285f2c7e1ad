package org.grievance.ssd.register;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The service's one JSON mapper: unknown request fields are errors, null fields are left out. */
public final class ApiJson {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  private ApiJson() {}
}
