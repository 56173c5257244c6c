/**
 * Planning a sweep's work: balanced Spark partitions of its runs ({@link io.churn.plan.CostPlanner})
 * and the throughput model that estimates their training time ({@link io.churn.plan.StepTimes}).
 */
package io.churn.plan;
