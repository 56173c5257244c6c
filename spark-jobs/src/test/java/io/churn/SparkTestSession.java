package io.churn;

import org.apache.spark.sql.SparkSession;

/** One local[2] Spark session for every Spark test in the JVM; up to 3 attempts per task, as on a cluster. */
public final class SparkTestSession {

    private static SparkSession session;

    private SparkTestSession() {
    }

    public static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,3]")
                    .appName("churn tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }
}
