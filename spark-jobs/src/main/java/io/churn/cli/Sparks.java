package io.churn.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one way the commands start Spark, on the master spark-submit set or {@code local[*]}. A
 * local master retries a failed task as a cluster does, and keeps the driver on loopback.
 */
final class Sparks {

    /** Attempts per task in local mode, as {@code spark.task.maxFailures} gives a cluster. */
    static final int LOCAL_TASK_ATTEMPTS = 4;
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[([^,\\]]+)])?");
    /** Sessions this JVM started, so tests can tell that a refused command started none. */
    private static final AtomicInteger STARTED = new AtomicInteger();

    private Sparks() {
    }

    /** The master spark-submit set, or {@code local[*]} under plain {@code java}; a local one retries tasks. */
    static String master() {
        return withTaskRetries(new SparkConf().get("spark.master", "local[*]"));
    }

    /**
     * {@code local} and {@code local[N]} allow no failed task; they become {@code local[N,4]}, so a
     * task that dies on a lost database or an unreadable file is retried. Other masters stay as given.
     */
    static String withTaskRetries(String master) {
        Matcher m = LOCAL.matcher(master.strip());
        if (!m.matches()) {
            return master;
        }
        return "local[" + (m.group(1) == null ? "1" : m.group(1)) + "," + LOCAL_TASK_ATTEMPTS + "]";
    }

    static boolean isLocal(String master) {
        return master.startsWith("local");
    }

    /**
     * A session on {@code master} whose executors run one native BLAS thread per task. In local mode
     * the driver binds to loopback; Spark binds its UI to every interface unless {@code SPARK_LOCAL_IP}
     * says otherwise, so there the UI is off unless that names a loopback address or
     * {@code spark.ui.enabled} is set.
     */
    static SparkSession start(String master, String appName) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName)
                .setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        if (isLocal(master)) {
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1")
                    .setIfMissing("spark.driver.host", "127.0.0.1")
                    .setIfMissing("spark.ui.enabled", Boolean.toString(loopback(System.getenv("SPARK_LOCAL_IP"))));
        }
        STARTED.incrementAndGet();
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** How many sessions this JVM has started. */
    static int started() {
        return STARTED.get();
    }

    private static boolean loopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
