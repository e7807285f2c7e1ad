/**
 * The SSD networks as DJL blocks. {@link org.grievance.ssd.model.SsdModel} assembles input
 * preprocessing, a {@link org.grievance.ssd.model.BaseNetwork} (the extension point for backbones)
 * and the {@link org.grievance.ssd.model.SsdHeads} predictor convolutions; {@link
 * org.grievance.ssd.model.Ssd7}, {@link org.grievance.ssd.model.VggSsd} and {@link
 * org.grievance.ssd.model.MobileNetV2Base} build the networks, and block-level tools fold batch
 * normalisation, switch to channels-last and import Keras weights. Outputs are raw class logits and
 * box offsets in the reference's anchor order; softmax and anchors belong to the loss and decoders.
 * Nothing here knows the saved description of a model ({@code spec}).
 */
package org.grievance.ssd.model;
