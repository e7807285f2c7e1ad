package org.grievance.ssd.register.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A grid over the globe whose cells name the locks that serialise submissions near one another.
 * Rows are {@code 2 × radius} high; each row is cut into columns {@code 2 × radius} wide at the
 * row's edge farthest from the equator (one column where that is the pole). A submission locks
 * every cell that meets the box around it ({@link GeoDistance#around}): that box holds every point
 * within the radius, so of two submissions closer than the radius each one's own cell is among the
 * cells the other locks, and they take at least one lock in common. The cells are about as large as
 * the box, so a submission takes two to four locks away from the poles.
 *
 * <p>Keys name the cell size, so servers configured with different radii never mistake each other's
 * cells (they should not share a database anyway: their duplicates would disagree).
 */
final class AreaGrid {
  private final double radiusMeters;
  private final double cellMeters;
  private final double rowDegrees;
  private final long lastRow;

  /**
   * @param radiusMeters the duplicate radius, finite and positive
   */
  AreaGrid(double radiusMeters) {
    if (!(radiusMeters > 0) || !Double.isFinite(radiusMeters)) {
      throw new IllegalArgumentException(
          "radiusMeters must be finite and positive, got " + radiusMeters);
    }
    this.radiusMeters = radiusMeters;
    this.cellMeters = 2 * radiusMeters;
    this.rowDegrees = GeoDistance.latitudeDegrees(cellMeters);
    this.lastRow = (long) Math.floor(180 / rowDegrees);
  }

  /** The keys of the cells to lock for a submission at this point, in the order to lock them. */
  List<String> cellsAround(double latitude, double longitude) {
    GeoDistance.Box box = GeoDistance.around(latitude, longitude, radiusMeters);
    TreeSet<String> keys = new TreeSet<>();
    for (long r = row(box.minLatitude()); r <= row(box.maxLatitude()); r++) {
      double width = columnDegrees(r);
      for (long col = column(box.minLongitude(), width);
          col <= column(box.maxLongitude(), width);
          col++) {
        keys.add(key(r, col));
      }
    }
    return new ArrayList<>(keys);
  }

  /** The key of the cell holding this point. */
  String cellOf(double latitude, double longitude) {
    long r = row(latitude);
    return key(r, column(longitude, columnDegrees(r)));
  }

  private long row(double latitude) {
    double lat = Math.max(-90, Math.min(90, latitude));
    return Math.min(lastRow, (long) Math.floor((lat + 90) / rowDegrees));
  }

  /** Column width of row {@code r}: the cell size in longitude at its edge nearer a pole. */
  private double columnDegrees(long r) {
    double south = -90 + r * rowDegrees;
    double north = Math.min(90, south + rowDegrees);
    double far = Math.min(90, Math.max(Math.abs(south), Math.abs(north)));
    return GeoDistance.longitudeDegrees(cellMeters, far);
  }

  /** Longitudes outside ±180° hold no points (no wrapping), so they count as the edge. */
  private static long column(double longitude, double width) {
    if (width >= 360) {
      return 0;
    }
    double lon = Math.max(-180, Math.min(180, longitude));
    return (long) Math.floor((lon + 180) / width);
  }

  private String key(long row, long column) {
    return cellMeters + "m:" + row + ":" + column;
  }
}
