/**
 * Using a trained SSD: {@link org.grievance.ssd.infer.ModelDirectory} finds a checkpoint and its
 * self-description, {@link org.grievance.ssd.infer.Detector} turns images into detections in their
 * own pixels, and {@link org.grievance.ssd.infer.DetectionWriter} writes the predict JSON.
 */
package org.grievance.ssd.infer;
