/**
 * Population Based Training as pure rules (Jaderberg et al., 2017, "Population Based Training of
 * Neural Networks"): specs, hyperparameter domains, the closed families a spec chooses from
 * ({@link io.churn.pbt.Metric} ranks members, {@link io.churn.pbt.ExploitMethod} says who copies
 * whom), and exploit/explore decisions made from a frozen snapshot of the population. The Spark
 * driver carries the decisions out.
 */
package io.churn.pbt;
