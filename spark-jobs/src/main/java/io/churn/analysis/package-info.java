/**
 * Analysis over the Parquet results with Spark SQL: BUTTER's per-experiment, per-epoch summaries
 * of a sweep, and the ancestry of a PBT population.
 */
package io.churn.analysis;
