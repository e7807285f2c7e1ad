/**
 * SSD core library. Sub-packages follow the data flow: {@code box} (coordinate formats, IoU),
 * {@code anchor} (default boxes), {@code encode} (ground truth to training targets), {@code loss},
 * {@code decode} (raw predictions to detections), {@code eval} (VOC and COCO metrics), {@code data}
 * (dataset readers).
 */
package org.grievance.ssd;
