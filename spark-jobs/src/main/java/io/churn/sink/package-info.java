/**
 * Where results go: PostgreSQL (the system of record) and the Parquet export made from it, with
 * the result datasets' folder names ({@link io.churn.sink.ResultDataset}).
 */
package io.churn.sink;
