/**
 * The multi-threaded training data pipeline: {@link
 * org.grievance.ssd.train.loader.DetectionBatchSource} reads, resizes, augments and encodes
 * data-set images into recycled batch buffers on worker threads, deterministically for a given
 * epoch seed, configured by {@link org.grievance.ssd.train.loader.LoaderConfig}.
 */
package org.grievance.ssd.train.loader;
