package org.grievance.ssd.register;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.register.workflow.Patch;
import org.grievance.ssd.register.workflow.Status;

/**
 * The body of {@code PATCH /api/grievances/{id}}, read strictly (no fractional ids, no duplicate or
 * unknown fields, nothing after the object) into a {@link Patch}. Refusals are 400s whose message
 * names the field in the API's words, never a Java type or class.
 */
final class PatchRequest {
  /** What each field holds, for messages. */
  private static final Map<String, String> EXPECTED =
      Map.of(
          "status", "a status name such as \"in_progress\"",
          "categories", "an array of category names",
          "comment", "a string",
          "mergeInto", "a grievance id (a whole number)");

  private static final ObjectReader READER =
      ApiJson.MAPPER
          .readerFor(Body.class)
          .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private PatchRequest() {}

  /** The JSON body as it comes. */
  record Body(String status, List<String> categories, String comment, Long mergeInto) {}

  /** Parses and checks {@code json}; comments are limited to {@code maxComment} characters. */
  static Patch parse(String json, int maxComment) {
    Body body;
    try {
      body = READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(describe(e));
    }
    if (body == null) {
      throw ApiException.badRequest("the body must be a JSON object");
    }
    return new Patch(
        body.status() == null ? null : Status.parse(body.status()),
        body.categories(),
        TextInput.optional(body.comment(), "comment", maxComment),
        body.mergeInto());
  }

  /** What is wrong with the body, in the API's words. */
  static String describe(JsonProcessingException e) {
    String fields = "status, categories, comment or mergeInto";
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '" + u.getPropertyName() + "': the body has " + fields;
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String field = m.getPath().get(0).getFieldName();
      if (field != null && EXPECTED.containsKey(field)) {
        return field + " must be " + EXPECTED.get(field);
      }
    }
    String where =
        e.getLocation() == null
            ? ""
            : " (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")";
    if (e instanceof InputCoercionException) {
      return "a number is out of range" + where;
    }
    if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
      return "a field appears twice" + where;
    }
    return "the body must be a JSON object with " + fields + where;
  }
}
