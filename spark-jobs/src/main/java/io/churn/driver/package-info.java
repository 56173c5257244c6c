/** Spark drivers and the functions they ship to executors. */
package io.churn.driver;
