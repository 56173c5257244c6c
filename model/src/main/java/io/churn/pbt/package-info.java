/**
 * Population Based Training as pure rules (Jaderberg et al., 2017, "Population Based Training of
 * Neural Networks"): specs (inline or from a CANDLE parameter file, {@link io.churn.pbt.PbtSpecParser}),
 * hyperparameter domains, the closed families a spec chooses from ({@link io.churn.pbt.Metric} ranks
 * members, {@link io.churn.pbt.ExploitMethod} says who copies whom, {@link io.churn.pbt.TruncationRounding}
 * how many, {@link io.churn.pbt.Preset} names the rules of the paper, Ray Tune and CANDLE), and
 * exploit/explore decisions made from a frozen snapshot of the population, with a record of every
 * move. The Spark driver carries the decisions out.
 */
package io.churn.pbt;
