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
 * The predict JSON format, one entry per image:
 *
 * <pre>{@code
 * [{"image": "photos/a.jpg", "width": 640, "height": 480,
 *   "detections": [{"class_id": 1, "class": "car", "score": 0.93,
 *                   "box": [xmin, ymin, xmax, ymax]}]}]
 * }</pre>
 *
 * Boxes are corners in the original image's pixels; detections are best first. Files are written
 * atomically.
 */
public final class DetectionWriter {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private DetectionWriter() {}

  /** The JSON array for {@code results}. */
  public static ArrayNode toJson(List<ImageDetections> results) {
    ArrayNode root = MAPPER.createArrayNode();
    for (ImageDetections r : results) {
      ObjectNode img = root.addObject();
      img.put("image", r.image());
      img.put("width", r.width());
      img.put("height", r.height());
      ArrayNode dets = img.putArray("detections");
      for (Detection d : r.detections()) {
        ObjectNode o = dets.addObject();
        o.put("class_id", d.classId());
        o.put("class", d.className());
        o.put("score", d.score());
        ArrayNode box = o.putArray("box");
        box.add(d.xmin()).add(d.ymin()).add(d.xmax()).add(d.ymax());
      }
    }
    return root;
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
      throw new IOException(file + ": expected a JSON array of images");
    }
    List<ImageDetections> out = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode img = root.get(i);
      String where = file + ": entry " + i;
      List<Detection> dets = new ArrayList<>();
      JsonNode arr = field(img, "detections", where);
      for (int k = 0; k < arr.size(); k++) {
        JsonNode d = arr.get(k);
        String at = where + " detection " + k;
        JsonNode box = field(d, "box", at);
        if (!box.isArray() || box.size() != 4) {
          throw new IOException(at + ": box must be [xmin, ymin, xmax, ymax], got " + box);
        }
        dets.add(
            new Detection(
                field(d, "class_id", at).asInt(),
                field(d, "class", at).asText(),
                field(d, "score", at).asDouble(),
                box.get(0).asDouble(),
                box.get(1).asDouble(),
                box.get(2).asDouble(),
                box.get(3).asDouble()));
      }
      out.add(
          new ImageDetections(
              field(img, "image", where).asText(),
              field(img, "width", where).asInt(),
              field(img, "height", where).asInt(),
              dets));
    }
    return out;
  }

  private static JsonNode field(JsonNode obj, String name, String where) throws IOException {
    JsonNode v = obj == null ? null : obj.get(name);
    if (v == null || v.isNull()) {
      throw new IOException(where + ": missing field '" + name + "'");
    }
    return v;
  }
}
