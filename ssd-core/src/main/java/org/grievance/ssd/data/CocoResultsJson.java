package org.grievance.ssd.data;

import static org.grievance.ssd.data.JsonSupport.cocoBbox;
import static org.grievance.ssd.data.JsonSupport.finite;
import static org.grievance.ssd.data.JsonSupport.imageId;
import static org.grievance.ssd.data.JsonSupport.intValue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.grievance.ssd.io.AtomicFiles;

/**
 * Reads and writes detections in the COCO results format: a JSON array of {@code {"image_id": 42,
 * "category_id": 18, "bbox": [x, y, w, h], "score": 0.93}}; other members are ignored.
 *
 * <p>Image ids: {@link #read} accepts numbers (turned into their decimal string) and strings.
 * {@link #write} writes an id that is a canonical decimal integer ({@code 0} or no leading zero, at
 * most 18 digits) as a JSON number, as COCO tools expect, and every other id as a string (VOC stems
 * like {@code 000001} keep their zeros). Reading back always gives the same strings.
 */
public final class CocoResultsJson {
  private static final Pattern CANONICAL_INTEGER = Pattern.compile("0|[1-9][0-9]{0,17}");

  private CocoResultsJson() {}

  /**
   * All rows of {@code file}, streamed so that large result files need not fit as a tree.
   *
   * @throws DatasetException naming the file and the element index and field (or line and column
   *     for malformed JSON)
   */
  public static List<ResultRow> read(Path file) {
    List<ResultRow> rows = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = JsonSupport.MAPPER.createParser(in)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_ARRAY) {
        throw DatasetException.in(
            file,
            "results must be a JSON array of detections, found "
                + (first == null
                    ? "an empty file"
                    : first.asString() == null ? first.name() : first.asString()));
      }
      int index = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        long line = p.currentLocation().getLineNr();
        rows.add(row(file, p, "[" + index + "] (line " + line + ")"));
        index++;
      }
      if (p.nextToken() != null) {
        throw DatasetException.at(
            file, p.currentLocation().getLineNr(), "unexpected content after the results array");
      }
    } catch (JsonProcessingException e) {
      throw JsonSupport.syntax(file, e);
    } catch (IOException e) {
      throw DatasetException.in(file, "cannot read: " + e);
    }
    return rows;
  }

  /**
   * Parses the element at the parser's current token. Plain values take a fast token path; anything
   * else is read as a tree and handed to the checks of {@link JsonSupport}, which either accept it
   * or name the field and what was found.
   */
  private static ResultRow row(Path file, JsonParser p, String where) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      JsonNode node = JsonSupport.MAPPER.readTree(p);
      throw DatasetException.in(
          file, where + ": must be an object, got " + JsonSupport.describe(node));
    }
    String imageId = null;
    Integer category = null;
    JsonNode bbox = null;
    double score = Double.NaN;
    boolean hasScore = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue; // same as missing
      }
      switch (field) {
        case "image_id" ->
            imageId =
                t == JsonToken.VALUE_NUMBER_INT
                    ? p.getText()
                    : imageId(file, JsonSupport.MAPPER.readTree(p), where + ".image_id");
        case "category_id" ->
            category =
                t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                    ? p.getIntValue()
                    : intValue(file, JsonSupport.MAPPER.readTree(p), where + ".category_id");
        case "bbox" -> bbox = JsonSupport.MAPPER.readTree(p);
        case "score" -> {
          score =
              t.isNumeric()
                  ? p.getDoubleValue()
                  : finite(file, JsonSupport.MAPPER.readTree(p), where + ".score");
          if (!Double.isFinite(score)) {
            throw DatasetException.in(file, where + ".score: must be finite, got " + p.getText());
          }
          hasScore = true;
        }
        default -> p.skipChildren();
      }
    }
    if (imageId == null) {
      throw DatasetException.in(file, where + ": missing field 'image_id'");
    }
    if (category == null) {
      throw DatasetException.in(file, where + ": missing field 'category_id'");
    }
    if (bbox == null) {
      throw DatasetException.in(file, where + ": missing field 'bbox'");
    }
    if (!hasScore) {
      throw DatasetException.in(file, where + ": missing field 'score'");
    }
    double[] xywh = cocoBbox(file, bbox, where);
    return new ResultRow(imageId, category, xywh[0], xywh[1], xywh[2], xywh[3], score);
  }

  /** Writes {@code rows} atomically as one JSON array, one detection per line. */
  public static void write(Path file, List<ResultRow> rows) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          Writer w =
              new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
          w.write('[');
          StringBuilder sb = new StringBuilder(128);
          for (int i = 0; i < rows.size(); i++) {
            ResultRow r = rows.get(i);
            sb.setLength(0);
            sb.append(i == 0 ? "\n" : ",\n").append("{\"image_id\":");
            if (CANONICAL_INTEGER.matcher(r.imageId()).matches()) {
              sb.append(r.imageId());
            } else {
              sb.append('"');
              JsonStringEncoder.getInstance().quoteAsString(r.imageId(), sb);
              sb.append('"');
            }
            sb.append(",\"category_id\":").append(r.categoryId());
            sb.append(",\"bbox\":[").append(plain(r.x())).append(',').append(plain(r.y()));
            sb.append(',').append(plain(r.w())).append(',').append(plain(r.h()));
            sb.append("],\"score\":").append(plain(r.score())).append('}');
            w.append(sb);
          }
          w.write(rows.isEmpty() ? "]\n" : "\n]\n");
          w.flush(); // not closed: AtomicFiles closes the stream after forcing it to disk
        });
  }

  /** Shortest text that reads back as {@code d}, without exponent ({@code 12} for 12.0). */
  static String plain(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    String s = Double.toString(d);
    return s.indexOf('E') >= 0 ? new BigDecimal(s).stripTrailingZeros().toPlainString() : s;
  }
}
