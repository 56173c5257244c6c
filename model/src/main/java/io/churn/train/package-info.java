/**
 * Training one run, the metrics recorded every epoch, and the run's result: its
 * {@link io.churn.train.RunStatus} (the run lifecycle), histories and
 * {@link io.churn.train.Provenance}. Two engines train a network behind
 * {@link io.churn.train.TrainableNetwork}: the fused engine ({@code FusedMlp}: dense parameters,
 * optimizers, activations, output layer, and layer products in JVM loops or OpenBLAS) and DL4J
 * ({@code Dl4jNetwork}, with the graph {@code Trainer.build} makes); {@code Engine} picks.
 */
package io.churn.train;
