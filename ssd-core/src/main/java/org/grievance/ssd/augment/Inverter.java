package org.grievance.ssd.augment;

/**
 * Maps predictions made on a transformed image back to the frame of the image before the transform.
 * Prediction rows are {@code [class_id, confidence, xmin, ymin, xmax, ymax, ...]}; the box sits in
 * columns 2–5. Implementations return new rows and never modify their input.
 */
@FunctionalInterface
public interface Inverter {
  /** Column of {@code xmin} in a prediction row. */
  int BOX = 2;

  /** Leaves predictions unchanged (photometric operations, operations that did not fire). */
  Inverter IDENTITY = predictions -> predictions;

  double[][] invert(double[][] predictions);

  /**
   * The inverter of "{@code earlier} then {@code latest}": undoes {@code latest} first, then {@code
   * earlier} (inverse transforms run in reverse order).
   */
  static Inverter undoBoth(Inverter latest, Inverter earlier) {
    if (latest == IDENTITY) {
      return earlier;
    }
    if (earlier == IDENTITY) {
      return latest;
    }
    return predictions -> earlier.invert(latest.invert(predictions));
  }

  /**
   * An inverter applying {@code map} to a copy of every row's box; {@code map} receives the row
   * copy and rewrites {@code row[BOX .. BOX+3]} in place.
   */
  static Inverter ofBoxMap(BoxMap map) {
    return predictions -> {
      double[][] out = new double[predictions.length][];
      for (int i = 0; i < predictions.length; i++) {
        double[] row = predictions[i];
        if (row.length < BOX + 4) {
          throw new IllegalArgumentException(
              "prediction row "
                  + i
                  + " has "
                  + row.length
                  + " values, expected at least 6: [class_id, confidence, xmin, ymin, xmax, ymax]");
        }
        out[i] = row.clone();
        map.apply(out[i]);
      }
      return out;
    };
  }

  /** Rewrites the box at {@code row[BOX .. BOX+3]} in place. */
  @FunctionalInterface
  interface BoxMap {
    void apply(double[] row);
  }
}
