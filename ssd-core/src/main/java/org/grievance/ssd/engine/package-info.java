/**
 * The process the detector runs in, beneath everything that computes: PyTorch's intra-op threads
 * ({@link org.grievance.ssd.engine.ThreadSettings}), resident memory ({@link
 * org.grievance.ssd.engine.ProcessMemory}) and the reused direct buffers through which host arrays
 * become tensors ({@link org.grievance.ssd.engine.TensorStaging}). Depends on nothing of ours, so
 * training, inference and the benchmarks share it.
 */
package org.grievance.ssd.engine;
