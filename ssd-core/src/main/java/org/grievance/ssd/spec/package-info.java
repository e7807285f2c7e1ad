/**
 * What a model is, as saved beside its parameters: the {@link
 * org.grievance.ssd.spec.ModelDescription} ({@code model.json}: architecture, input size, classes,
 * anchors, encoder, preprocessing, decoder defaults) and the registry of architectures, {@link
 * org.grievance.ssd.spec.SsdModels}, that builds the network a description names ({@link
 * org.grievance.ssd.spec.BaseNetworkArchitecture} turns any base network into one, {@link
 * org.grievance.ssd.spec.MobileNetV2SsdLite} is one). The two define each other (a description is
 * checked against its architecture's geometry), so they share this package, above the network
 * blocks of {@code model}; so do the operations that start from a description: {@link
 * org.grievance.ssd.spec.ClassSampling} (changing a trained model's classes) and {@link
 * org.grievance.ssd.spec.FlopCounter} (a described network's cost).
 */
package org.grievance.ssd.spec;
