/** JMH benchmarks of the encoder, decoder and evaluator. */
package org.grievance.ssd.bench;
