/**
 * Using a trained SSD: {@link org.grievance.ssd.infer.Detector} turns images into detections in
 * their own pixels (a saved model is opened through {@link
 * org.grievance.ssd.store.ModelDirectory}), {@link org.grievance.ssd.infer.DatasetPredictions} runs
 * it over a data set, and {@link org.grievance.ssd.infer.DetectionWriter} writes the predict JSON.
 */
package org.grievance.ssd.infer;
