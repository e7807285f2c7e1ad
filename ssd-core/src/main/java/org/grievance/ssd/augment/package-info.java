/**
 * Box-aware data augmentation: photometric and geometric operations that transform an image and its
 * ground-truth label rows {@code (class_id, xmin, ymin, xmax, ymax)} together, box filters and
 * image validators, patch samplers, and the reference's augmentation chains.
 *
 * <p>Every operation is a small {@link org.grievance.ssd.augment.Transform} (or, for the pixel-wise
 * photometric ones, a {@link org.grievance.ssd.augment.PixelOp}). Randomness always comes from the
 * {@link java.util.random.RandomGenerator} passed to the call, never from a global source, so a
 * loader thread owning one generator per worker gets reproducible results.
 *
 * <p>"Random" wrappers fire iff {@code p >= 1 - prob} for {@code p ~ U[0,1)}, as in the reference:
 * {@code prob = 0} never fires, {@code prob = 1} always does. Wherever the reference rounds, it
 * rounds half to even ({@link java.lang.Math#rint}).
 */
package org.grievance.ssd.augment;
