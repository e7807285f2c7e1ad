package org.grievance.ssd.augment;

/** A patch: top-left corner (may be negative: the patch extends beyond the image) and size. */
public record PatchCoords(int ymin, int xmin, int height, int width) {}
