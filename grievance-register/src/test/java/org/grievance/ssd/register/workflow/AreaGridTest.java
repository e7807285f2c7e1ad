package org.grievance.ssd.register.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AreaGridTest {
  static final double RADIUS = 50;

  /** The point {@code meters} from (lat, lon) on bearing {@code bearing} (radians), in degrees. */
  static double[] destination(double lat, double lon, double meters, double bearing) {
    double d = meters / GeoDistance.EARTH_RADIUS_METERS;
    double p1 = Math.toRadians(lat);
    double l1 = Math.toRadians(lon);
    double p2 =
        Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(bearing));
    double l2 =
        l1
            + Math.atan2(
                Math.sin(bearing) * Math.sin(d) * Math.cos(p1),
                Math.cos(d) - Math.sin(p1) * Math.sin(p2));
    return new double[] {Math.toDegrees(p2), Math.toDegrees(l2)};
  }

  /** Latitudes everywhere, with extra weight at the poles, where the grid's columns widen. */
  static double latitude(Random rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> 90 - rnd.nextDouble() * 0.01;
      case 1 -> -90 + rnd.nextDouble() * 0.01;
      default -> rnd.nextDouble() * 180 - 90;
    };
  }

  @Test
  void twoPointsWithinTheRadiusShareALock() {
    AreaGrid grid = new AreaGrid(RADIUS);
    Random rnd = new Random(15);
    int pairs = 0;
    while (pairs < 20_000) {
      double lat = latitude(rnd);
      double lon = rnd.nextDouble() * 360 - 180;
      double[] b = destination(lat, lon, rnd.nextDouble() * RADIUS, rnd.nextDouble() * 2 * Math.PI);
      if (Math.abs(b[1]) > 180) {
        continue; // across the antimeridian: never linked (longitudes are not wrapped)
      }
      pairs++;
      assertThat(GeoDistance.meters(lat, lon, b[0], b[1])).isLessThanOrEqualTo(RADIUS + 1e-6);
      GeoDistance.Box box = GeoDistance.around(lat, lon, RADIUS);
      assertThat(b[0]).isBetween(box.minLatitude(), box.maxLatitude());
      assertThat(b[1]).isBetween(box.minLongitude(), box.maxLongitude());
      List<String> aLocks = grid.cellsAround(lat, lon);
      List<String> bLocks = grid.cellsAround(b[0], b[1]);
      assertThat(aLocks)
          .as("%s, %s and %s, %s", lat, lon, b[0], b[1])
          .contains(grid.cellOf(b[0], b[1]));
      assertThat(bLocks).contains(grid.cellOf(lat, lon));
    }
  }

  @Test
  void aSubmissionTakesAFewLocksInKeyOrder() {
    AreaGrid grid = new AreaGrid(RADIUS);
    Random rnd = new Random(16);
    int most = 0;
    for (int i = 0; i < 20_000; i++) {
      double lat = rnd.nextDouble() * 170 - 85;
      double lon = rnd.nextDouble() * 360 - 180;
      List<String> cells = grid.cellsAround(lat, lon);
      List<String> sorted = new ArrayList<>(cells);
      Collections.sort(sorted);
      assertThat(cells).isEqualTo(sorted).doesNotHaveDuplicates().contains(grid.cellOf(lat, lon));
      most = Math.max(most, cells.size());
    }
    assertThat(most).isBetween(4, 6);
    assertThat(grid.cellsAround(90, 0).size()).isLessThanOrEqualTo(40);
    assertThat(grid.cellsAround(-89.99999, 179.9).size()).isLessThanOrEqualTo(40);
  }

  @Test
  void gridsOfDifferentRadiiNameDifferentCells() {
    assertThat(new AreaGrid(50).cellOf(10, 10)).isNotEqualTo(new AreaGrid(60).cellOf(10, 10));
  }

  @Test
  void refusesARadiusThatIsNotFiniteAndPositive() {
    for (double r : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new AreaGrid(r)).hasMessageContaining("radiusMeters");
    }
  }
}
