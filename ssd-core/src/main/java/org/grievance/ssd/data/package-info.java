/**
 * Dataset annotations (Pascal VOC directories, COCO JSON, Udacity-style CSV, YOLO txt directories)
 * and the COCO detection-results JSON format. Only annotations are read here, plus each image's
 * metadata to put every box in the displayed frame ({@link org.grievance.ssd.data.LabelFrames});
 * image pixels are loaded elsewhere.
 *
 * <p>Entry points: {@link org.grievance.ssd.data.DatasetLoader#load(DatasetSpec)}, {@link
 * org.grievance.ssd.data.DatasetProblems#validate(Dataset)} and {@link
 * org.grievance.ssd.data.CocoResultsJson}. Every malformed input raises a {@link
 * org.grievance.ssd.data.DatasetException} whose message names the file and the line or field.
 */
package org.grievance.ssd.data;
