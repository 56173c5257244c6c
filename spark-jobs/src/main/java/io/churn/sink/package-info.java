/** Where results go: PostgreSQL (the system of record) and the Parquet export made from it. */
package io.churn.sink;
