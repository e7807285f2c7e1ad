/**
 * The SSD networks as DJL blocks. {@link org.grievance.ssd.model.SsdModel} assembles input
 * preprocessing, a {@link org.grievance.ssd.model.BaseNetwork} (the extension point for backbones)
 * and the {@link org.grievance.ssd.model.SsdHeads} predictor convolutions; {@link
 * org.grievance.ssd.model.Ssd7} builds the small SSD7 network, {@link
 * org.grievance.ssd.model.MobileNetV2SsdLite} MobileNetV2-SSDLite; {@link
 * org.grievance.ssd.model.BaseNetworkArchitecture} turns any base network into a registered
 * architecture, and {@link org.grievance.ssd.model.FlopCounter} counts multiply-accumulates.
 * Outputs are raw class logits and box offsets in the reference's anchor order; softmax and anchors
 * belong to the loss and decoders.
 */
package org.grievance.ssd.model;
