/**
 * Population Based Training as pure rules (Jaderberg et al., 2017, "Population Based Training of
 * Neural Networks"): specs, hyperparameter domains, and exploit/explore decisions made from a
 * frozen snapshot of the population. The Spark driver carries the decisions out.
 */
package io.churn.pbt;
