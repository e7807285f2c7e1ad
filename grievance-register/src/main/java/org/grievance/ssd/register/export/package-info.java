/**
 * The register's training data: officials' reviewed boxes ({@code annotation} rows with {@code
 * reviewed = TRUE}) exported with the stored clean photos as a Pascal VOC or COCO dataset that the
 * detector's readers load, split into train/val/test by a stable hash of the grievance id ({@link
 * org.grievance.ssd.register.export.Split}); and the comparison of a new model with a baseline on
 * that test split ({@link org.grievance.ssd.register.export.ModelComparison}), which decides
 * whether a model may be promoted.
 */
package org.grievance.ssd.register.export;
