/** JMH benchmarks of the encoder, decoder, evaluator and augmentation chains. */
package org.grievance.ssd.bench;
