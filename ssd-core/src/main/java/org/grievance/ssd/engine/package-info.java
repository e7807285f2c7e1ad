/**
 * The process the detector runs in, beneath everything that computes: PyTorch's intra-op threads
 * ({@link org.grievance.ssd.engine.ThreadSettings}), resident memory ({@link
 * org.grievance.ssd.engine.ProcessMemory}), the reused direct buffers through which host arrays
 * become tensors ({@link org.grievance.ssd.engine.TensorStaging}) and constants that outlive their
 * Java wrappers for the backward pass ({@link org.grievance.ssd.engine.TensorConstants}). Depends
 * on nothing of ours, so training, inference and the benchmarks share it.
 */
package org.grievance.ssd.engine;
