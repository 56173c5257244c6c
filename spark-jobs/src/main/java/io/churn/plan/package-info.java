/** Turning runs into balanced Spark partitions. */
package io.churn.plan;
