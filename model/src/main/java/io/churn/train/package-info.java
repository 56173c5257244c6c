/**
 * Training one run (on DL4J or the fused engine), the metrics recorded every epoch, and the run's
 * result: its {@link io.churn.train.RunStatus} (the run lifecycle), histories and
 * {@link io.churn.train.Provenance}.
 */
package io.churn.train;
