/**
 * The SSD networks as DJL blocks. {@link org.grievance.ssd.model.SsdModel} assembles input
 * preprocessing, a {@link org.grievance.ssd.model.BaseNetwork} (the extension point for backbones)
 * and the {@link org.grievance.ssd.model.SsdHeads} predictor convolutions; {@link
 * org.grievance.ssd.model.Ssd7} builds the small SSD7 network. Outputs are raw class logits and box
 * offsets in the reference's anchor order; softmax and anchors belong to the loss and decoders.
 */
package org.grievance.ssd.model;
