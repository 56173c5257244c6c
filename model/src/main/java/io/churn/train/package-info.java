/** Training one run with DL4J, the metrics recorded every epoch, and the run's result. */
package io.churn.train;
