package org.grievance.ssd.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.io.AtomicFiles;

/**
 * The detection JSON, schema {@value #SCHEMA}: one document per image, written by {@code ssd
 * predict --json} (an array of them, one per image) and answered by the service's {@code POST
 * /api/detect} (one, with the service's own fields next to it):
 *
 * <pre>{@code
 * {"schema": "ssd-detections/1", "image": "photos/a.jpg", "imageWidth": 640, "imageHeight": 480,
 *  "detections": [{"classId": 1, "class": "car", "score": 0.93,
 *                  "box": {"xmin": 10.5, "ymin": 20.0, "xmax": 110.25, "ymax": 220.0}}]}
 * }</pre>
 *
 * {@code image} is there only when the image has a name. Boxes are corners in the original image's
 * pixels; detections are best first. A reader checks {@code schema} first: a change that breaks
 * readers gets a new version. Files are written atomically. docs/detection-json.md describes the
 * fields.
 */
public final class DetectionWriter {
  /** The name and version of the schema, the value of every document's {@code schema} field. */
  public static final String SCHEMA = "ssd-detections/1";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** The file name ending of JSON-lines files. */
  public static final String JSON_LINES_SUFFIX = ".jsonl";

  private static final com.fasterxml.jackson.databind.ObjectWriter COMPACT =
      MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

  private DetectionWriter() {}

  /** The document of one image. */
  public static ObjectNode toJson(ImageDetections r) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.put("schema", SCHEMA);
    if (r.image() != null) {
      doc.put("image", r.image());
    }
    doc.put("imageWidth", r.width());
    doc.put("imageHeight", r.height());
    doc.set("detections", detectionsJson(r.detections()));
    return doc;
  }

  /** The {@code detections} array of a document: one object per detection, in order. */
  public static ArrayNode detectionsJson(List<Detection> detections) {
    ArrayNode dets = MAPPER.createArrayNode();
    for (Detection d : detections) {
      ObjectNode o = dets.addObject();
      o.put("classId", d.classId());
      o.put("class", d.className());
      o.put("score", d.score());
      ObjectNode box = o.putObject("box");
      box.put("xmin", d.xmin());
      box.put("ymin", d.ymin());
      box.put("xmax", d.xmax());
      box.put("ymax", d.ymax());
    }
    return dets;
  }

  /** The JSON array of {@code results}, one document per image: what predict writes. */
  public static ArrayNode toJson(List<ImageDetections> results) {
    ArrayNode root = MAPPER.createArrayNode();
    for (ImageDetections r : results) {
      root.add(toJson(r));
    }
    return root;
  }

  /**
   * One document as a single line of compact JSON, without the line break: the JSON-lines form that
   * {@code ssd batch predict} writes, one image per line, same fields as {@link #toJson}.
   */
  public static String toJsonLine(ImageDetections r) {
    try {
      return COMPACT.writeValueAsString(toJson(r));
    } catch (IOException e) {
      throw new IllegalStateException("a detection document could not be serialised", e);
    }
  }

  /**
   * Reads documents in JSON-lines form (one per non-blank line, see {@link #toJsonLine}).
   *
   * @param where names the source in error messages, with the line number added
   * @throws IOException naming the source and line when a line is not a document of the schema
   */
  public static List<ImageDetections> readJsonLines(java.io.BufferedReader lines, String where)
      throws IOException {
    List<ImageDetections> out = new ArrayList<>();
    int lineNo = 0;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode doc;
      try {
        doc = MAPPER.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IOException(
            where + ": line " + lineNo + ": not JSON (" + e.getOriginalMessage() + ")", e);
      }
      out.add(fromJson(doc, where + ": line " + lineNo));
    }
    return out;
  }

  /**
   * Reads detections in any form this class writes: a directory of JSON-lines part files (every
   * {@code *.jsonl} file in it, by name, except hidden and {@code _}-prefixed ones, as {@code ssd
   * batch predict} leaves them), a JSON-lines file ({@code .jsonl}), or a JSON array file ({@code
   * ssd predict --json}).
   *
   * @throws IOException naming the file and line or entry that is not a document of the schema
   */
  public static List<ImageDetections> readAny(Path fileOrDir) throws IOException {
    if (java.nio.file.Files.isDirectory(fileOrDir)) {
      List<ImageDetections> out = new ArrayList<>();
      for (Path part : jsonLinesParts(fileOrDir)) {
        out.addAll(readJsonLinesFile(part));
      }
      return out;
    }
    if (fileOrDir.getFileName().toString().endsWith(JSON_LINES_SUFFIX)) {
      return readJsonLinesFile(fileOrDir);
    }
    return read(fileOrDir);
  }

  /** Whether {@link #readAny} reads {@code fileOrDir} as detection documents (else: not ours). */
  public static boolean looksLikeDocuments(Path fileOrDir) throws IOException {
    if (java.nio.file.Files.isDirectory(fileOrDir)
        || fileOrDir.getFileName().toString().endsWith(JSON_LINES_SUFFIX)) {
      return true;
    }
    JsonNode root = MAPPER.readTree(fileOrDir.toFile());
    return root != null && root.isArray() && root.size() > 0 && root.get(0).has("schema");
  }

  /** The JSON-lines part files directly in {@code dir}, by name. */
  public static List<Path> jsonLinesParts(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
      return files
          .filter(
              f -> {
                String n = f.getFileName().toString();
                return n.endsWith(JSON_LINES_SUFFIX) && !n.startsWith(".") && !n.startsWith("_");
              })
          .sorted()
          .toList();
    }
  }

  private static List<ImageDetections> readJsonLinesFile(Path file) throws IOException {
    try (java.io.BufferedReader in =
        java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
      return readJsonLines(in, file.toString());
    }
  }

  /**
   * The {@code image} field of a JSON line ({@link #toJsonLine}) without reading its detections: a
   * rerun of {@code ssd batch predict} reads it from every line already written, and a photo's line
   * can hold hundreds of detections.
   *
   * @return the image, or {@code null} for a document without one
   * @throws IOException when the line is not a JSON object
   */
  public static String imageOf(String jsonLine) throws IOException {
    try (com.fasterxml.jackson.core.JsonParser p = MAPPER.getFactory().createParser(jsonLine)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new IOException("expected a JSON object, got " + abbreviate(jsonLine));
      }
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("image")) {
          return p.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_NULL
              ? null
              : p.getText();
        }
        p.skipChildren();
      }
      return null;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException("not JSON (" + e.getOriginalMessage() + ")", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** Writes {@code results} to {@code file} atomically. */
  public static void write(Path file, List<ImageDetections> results) throws IOException {
    AtomicFiles.write(file, MAPPER.writeValueAsBytes(toJson(results)));
  }

  /**
   * Reads a file written by {@link #write}.
   *
   * @throws IOException naming the file and entry when the content does not have the schema
   */
  public static List<ImageDetections> read(Path file) throws IOException {
    JsonNode root = MAPPER.readTree(file.toFile());
    if (root == null || !root.isArray()) {
      throw new IOException(file + ": expected a JSON array of " + SCHEMA + " documents");
    }
    List<ImageDetections> out = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      out.add(fromJson(root.get(i), file + ": entry " + i));
    }
    return out;
  }

  /**
   * Reads one document (fields other than the schema's are ignored, so a service answer reads too).
   *
   * @param where names the document in error messages
   * @throws IOException naming {@code where} and the detection when the document does not have the
   *     schema
   */
  public static ImageDetections fromJson(JsonNode doc, String where) throws IOException {
    String schema = field(doc, "schema", where).asText();
    if (!schema.equals(SCHEMA)) {
      throw new IOException(where + ": schema must be \"" + SCHEMA + "\", got \"" + schema + "\"");
    }
    List<Detection> dets = new ArrayList<>();
    JsonNode arr = field(doc, "detections", where);
    if (!arr.isArray()) {
      throw new IOException(where + ": detections must be an array, got " + arr);
    }
    for (int k = 0; k < arr.size(); k++) {
      JsonNode d = arr.get(k);
      String at = where + " detection " + k;
      JsonNode box = field(d, "box", at);
      if (!box.isObject()) {
        throw new IOException(at + ": box must be {xmin, ymin, xmax, ymax}, got " + box);
      }
      dets.add(
          new Detection(
              field(d, "classId", at).asInt(),
              field(d, "class", at).asText(),
              field(d, "score", at).asDouble(),
              field(box, "xmin", at + " box").asDouble(),
              field(box, "ymin", at + " box").asDouble(),
              field(box, "xmax", at + " box").asDouble(),
              field(box, "ymax", at + " box").asDouble()));
    }
    JsonNode image = doc.get("image");
    return new ImageDetections(
        image == null || image.isNull() ? null : image.asText(),
        field(doc, "imageWidth", where).asInt(),
        field(doc, "imageHeight", where).asInt(),
        dets);
  }

  private static JsonNode field(JsonNode obj, String name, String where) throws IOException {
    JsonNode v = obj == null ? null : obj.get(name);
    if (v == null || v.isNull()) {
      throw new IOException(where + ": missing field '" + name + "'");
    }
    return v;
  }
}
