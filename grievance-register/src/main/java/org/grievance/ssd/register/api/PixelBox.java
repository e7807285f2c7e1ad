package org.grievance.ssd.register.api;

/** A box in the pixels of the displayed (stored, upright) photo: left, top, right, bottom edges. */
public record PixelBox(double xmin, double ymin, double xmax, double ymax) {}
