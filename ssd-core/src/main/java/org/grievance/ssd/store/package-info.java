/**
 * Saved models on disk, shared by training and inference: {@link
 * org.grievance.ssd.store.CheckpointFiles} is the layout of checkpoint and model directories
 * (parameters, {@code model.json}, {@code training-state.json}) and their crash-safe replacement,
 * and {@link org.grievance.ssd.store.ModelDirectory} opens a saved model from whatever path a user
 * gives and rebuilds its network. What the training state holds belongs to {@code train}.
 */
package org.grievance.ssd.store;
