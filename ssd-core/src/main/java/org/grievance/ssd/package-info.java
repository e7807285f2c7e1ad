/**
 * SSD core library. Sub-packages form an acyclic graph, bottom up: {@code box} (coordinate formats,
 * IoU), {@code io} (atomic files, Keras HDF5) and {@code engine} (PyTorch threads, memory); {@code
 * anchor} (default boxes) and {@code image}; {@code encode} (ground truth to training targets),
 * {@code decode} (raw predictions to detections), {@code loss}, {@code augment}, {@code data}
 * (dataset readers) and {@code synth}; {@code model} (the networks as DJL blocks) and {@code eval}
 * (VOC and COCO metrics); {@code spec} (the saved model's description and the architectures built
 * from it); {@code store} (saved models on disk); {@code train} (the generic loop) and {@code
 * infer} (detection); {@code train.loader} (the training data pipeline); {@code training} (a
 * detector's training). A package uses only packages listed before its own group; {@code
 * ArchitectureTest} holds the code to that order.
 */
package org.grievance.ssd;
