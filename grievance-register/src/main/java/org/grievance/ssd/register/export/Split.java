package org.grievance.ssd.register.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The train/val/test split of a reviewed photo, decided by its grievance id alone: the first four
 * bytes of SHA-256({@code "grievance:<id>"}) as a fraction of 2³² fall into train below {@value
 * #TRAIN_FRACTION}, val below {@value #TRAIN_FRACTION} + {@value #VAL_FRACTION}, test above. So a
 * photo never changes split from one export to the next (a test photo never leaks into training),
 * the test split only grows as officials review more, and no stored state is needed.
 */
public enum Split {
  TRAIN,
  VAL,
  TEST;

  /** Share of photos in the training split. */
  public static final double TRAIN_FRACTION = 0.70;

  /** Share of photos in the validation split (the rest, 0.15, is the test split). */
  public static final double VAL_FRACTION = 0.15;

  /** The image-set and file name of the split: {@code train}, {@code val} or {@code test}. */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The split of grievance {@code grievanceId}. */
  public static Split of(long grievanceId) {
    double u = bucket(grievanceId);
    if (u < TRAIN_FRACTION) {
      return TRAIN;
    }
    return u < TRAIN_FRACTION + VAL_FRACTION ? VAL : TEST;
  }

  /** The grievance's place in [0, 1): the hash's first four bytes over 2³². */
  static double bucket(long grievanceId) {
    byte[] h;
    try {
      h =
          MessageDigest.getInstance("SHA-256")
              .digest(("grievance:" + grievanceId).getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    long v =
        ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
    return v / 4294967296.0;
  }
}
