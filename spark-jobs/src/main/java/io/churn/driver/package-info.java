/**
 * Spark drivers and the functions they ship to executors: a sweep's partitions of runs, and PBT's
 * generations, whose members train on the engines a sweep's runs use.
 */
package io.churn.driver;
