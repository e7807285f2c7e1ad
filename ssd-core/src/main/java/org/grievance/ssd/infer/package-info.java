/**
 * Using a trained SSD: {@link org.grievance.ssd.infer.Detector} turns images into detections in
 * their own pixels (a saved model is opened through {@link
 * org.grievance.ssd.store.ModelDirectory}), {@link org.grievance.ssd.infer.DatasetPredictions} runs
 * it over a data set, and {@link org.grievance.ssd.infer.DetectionWriter} writes the predict JSON.
 * Tiled detection of large images: {@link org.grievance.ssd.infer.Tiling} (what was asked), {@link
 * org.grievance.ssd.infer.TilePlanner} (where the tiles go) and {@link
 * org.grievance.ssd.infer.TileMerger} (one list from all passes).
 */
package org.grievance.ssd.infer;
