/**
 * Spark drivers and the functions they ship to executors: the sweep (plan, partitions of runs,
 * data-parallel runs), PBT generations (whose members train on the engines a sweep's runs use),
 * and the sinks a sweep's runs go to, composed in one place ({@link io.churn.driver.RunSinks}).
 */
package io.churn.driver;
