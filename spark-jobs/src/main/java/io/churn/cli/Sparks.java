package io.churn.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The one way the commands start Spark, on the master spark-submit set or {@code local[*]}. */
final class Sparks {

    private Sparks() {
    }

    /** The master spark-submit set, or {@code local[*]} under plain {@code java}. */
    static String master() {
        return new SparkConf().get("spark.master", "local[*]");
    }

    /** A session on {@code master} whose executors run one native BLAS thread per task. */
    static SparkSession start(String master, String appName) {
        SparkSession spark = SparkSession.builder()
                .config(new SparkConf().setMaster(master).setAppName(appName)
                        .setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1"))
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
