package org.grievance.ssd.data;

import static org.grievance.ssd.data.JsonSupport.cocoBbox;
import static org.grievance.ssd.data.JsonSupport.finite;
import static org.grievance.ssd.data.JsonSupport.imageId;
import static org.grievance.ssd.data.JsonSupport.intValue;
import static org.grievance.ssd.data.JsonSupport.required;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an MS COCO instances JSON ({@code images}, {@code categories}, optional {@code
 * annotations}).
 *
 * <p>Categories become class ids 1..C in listed order, names kept and original ids in {@link
 * Dataset#categoryIds()} (as the reference's {@code get_coco_category_maps}). Image id = the COCO
 * id as a decimal string (string ids are accepted as they are). Boxes {@code [x, y, w, h]} become
 * corners {@code (x, y, x + w, y + h)}; {@code iscrowd} and {@code area} are kept (the reference
 * ignores {@code iscrowd}). Images: a sibling {@code images/} directory of the JSON if present,
 * else the JSON's directory, joined with {@code file_name}.
 *
 * <p>Negative widths/heights are errors; zero-sized boxes (present in real COCO files) are kept and
 * reported by {@link DatasetProblems}.
 */
public final class CocoReader {
  private CocoReader() {}

  /** Loads {@code spec.path()} as a COCO JSON file. */
  public static Dataset read(DatasetSpec spec) {
    Path file = spec.path();
    JsonNode root;
    try (InputStream in = Files.newInputStream(file)) {
      root = JsonSupport.MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw JsonSupport.syntax(file, e);
    } catch (IOException e) {
      throw DatasetException.in(file, "cannot read: " + e);
    }
    if (root == null || !root.isObject()) {
      throw DatasetException.in(
          file, "top level must be a JSON object with 'images' and" + " 'categories'");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path images = Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;

    // Categories.
    JsonNode cats = array(file, root, "categories");
    List<String> names = new ArrayList<>();
    List<Integer> catIds = new ArrayList<>();
    Map<Integer, Integer> fullIndexByCat = new HashMap<>();
    Map<String, Integer> indexByName = new HashMap<>();
    for (int i = 0; i < cats.size(); i++) {
      String where = "categories[" + i + "]";
      JsonNode c = object(file, cats.get(i), where);
      int id = intValue(file, required(file, c, "id", where), where + ".id");
      JsonNode nameNode = required(file, c, "name", where);
      if (!nameNode.isTextual() || nameNode.textValue().isBlank()) {
        throw DatasetException.in(file, where + ".name: must be a non-blank string");
      }
      String name = nameNode.textValue();
      if (fullIndexByCat.putIfAbsent(id, i) != null) {
        throw DatasetException.in(file, where + ".id: duplicate category id " + id);
      }
      if (indexByName.putIfAbsent(name, i) != null) {
        throw DatasetException.in(file, where + ".name: duplicate category name '" + name + "'");
      }
      names.add(name);
      catIds.add(id);
    }
    if (spec.classes() != null && !spec.classes().equals(names)) {
      throw DatasetException.in(
          file,
          "given classes "
              + spec.classes()
              + " differ from the file's categories "
              + names
              + "; COCO classes come from 'categories' (use includeClasses to select)");
    }
    ClassSelection selection = new ClassSelection(spec, names, catIds, file + " categories");

    // Images.
    JsonNode imgs = array(file, root, "images");
    Map<String, ImageEntry> byId = new LinkedHashMap<>();
    for (int i = 0; i < imgs.size(); i++) {
      String where = "images[" + i + "]";
      JsonNode im = object(file, imgs.get(i), where);
      String id = imageId(file, required(file, im, "id", where), where + ".id");
      JsonNode fn = required(file, im, "file_name", where);
      if (!fn.isTextual() || fn.textValue().isBlank()) {
        throw DatasetException.in(file, where + ".file_name: must be a non-blank string");
      }
      int w = optionalSize(file, im, "width", where);
      int h = optionalSize(file, im, "height", where);
      if (byId.putIfAbsent(id, new ImageEntry(images.resolve(fn.textValue()), w, h)) != null) {
        throw DatasetException.in(file, where + ".id: duplicate image id " + id);
      }
    }

    // Annotations (absent in test-set files).
    JsonNode anns = root.get("annotations");
    if (anns != null && !anns.isNull()) {
      if (!anns.isArray()) {
        throw DatasetException.in(file, "'annotations' must be an array");
      }
      for (int i = 0; i < anns.size(); i++) {
        JsonNode a = object(file, anns.get(i), "annotations[" + i + "]");
        JsonNode idNode = a.get("id");
        String where =
            "annotations[" + i + "]" + (idNode == null ? "" : " (id " + idNode.asText() + ")");
        String imageId = imageId(file, required(file, a, "image_id", where), where + ".image_id");
        ImageEntry img = byId.get(imageId);
        if (img == null) {
          throw DatasetException.in(file, where + ".image_id: unknown image id " + imageId);
        }
        int cat = intValue(file, required(file, a, "category_id", where), where + ".category_id");
        Integer fullIndex = fullIndexByCat.get(cat);
        if (fullIndex == null) {
          throw DatasetException.in(
              file, where + ".category_id: unknown category id " + cat + "; known " + catIds);
        }
        boolean crowd = crowd(file, a, where);
        if (!selection.keepsName(names.get(fullIndex))) {
          continue;
        }
        double[] xywh = cocoBbox(file, required(file, a, "bbox", where), where);
        double area = Double.NaN;
        JsonNode areaNode = a.get("area");
        if (areaNode != null && !areaNode.isNull()) {
          area = finite(file, areaNode, where + ".area");
          if (area < 0) {
            throw DatasetException.in(file, where + ".area: negative area " + area);
          }
        }
        img.objects.add(
            new ObjectBox(
                selection.classIdOfFullIndex(fullIndex),
                xywh[0],
                xywh[1],
                xywh[0] + xywh[2],
                xywh[1] + xywh[3],
                false,
                false,
                crowd,
                area));
      }
    }
    List<Sample> samples = new ArrayList<>(byId.size());
    for (Map.Entry<String, ImageEntry> e : byId.entrySet()) {
      ImageEntry im = e.getValue();
      samples.add(new Sample(e.getKey(), im.path, im.width, im.height, im.objects));
    }
    return selection.dataset(file.toString(), samples);
  }

  private static final class ImageEntry {
    final Path path;
    final int width;
    final int height;
    final List<ObjectBox> objects = new ArrayList<>();

    ImageEntry(Path path, int width, int height) {
      this.path = path;
      this.width = width;
      this.height = height;
    }
  }

  private static JsonNode array(Path file, JsonNode root, String name) {
    JsonNode v = root.get(name);
    if (v == null || !v.isArray()) {
      throw DatasetException.in(
          file,
          "'"
              + name
              + "' must be an array"
              + (v == null ? " (missing)" : ", got " + JsonSupport.describe(v)));
    }
    return v;
  }

  private static JsonNode object(Path file, JsonNode v, String where) {
    if (!v.isObject()) {
      throw DatasetException.in(
          file, where + ": must be an object, got " + JsonSupport.describe(v));
    }
    return v;
  }

  private static int optionalSize(Path file, JsonNode im, String field, String where) {
    JsonNode v = im.get(field);
    if (v == null || v.isNull()) {
      return 0;
    }
    int n = intValue(file, v, where + "." + field);
    if (n < 0) {
      throw DatasetException.in(file, where + "." + field + ": must be >= 0, got " + n);
    }
    return n;
  }

  private static boolean crowd(Path file, JsonNode a, String where) {
    JsonNode v = a.get("iscrowd");
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isIntegralNumber() && (v.intValue() == 0 || v.intValue() == 1)) {
      return v.intValue() == 1;
    }
    throw DatasetException.in(
        file, where + ".iscrowd: must be 0 or 1, got " + JsonSupport.describe(v));
  }
}
