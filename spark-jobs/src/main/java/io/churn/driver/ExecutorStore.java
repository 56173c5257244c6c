package io.churn.driver;

import io.churn.sink.DatabaseSettings;
import io.churn.sink.RunStore;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkConf;

/**
 * The results database as an executor's tasks share it: one {@link RunStore} per executor JVM and
 * server, on at most {@value #CONNECTIONS} connections (default {@value #DEFAULT_CONNECTIONS}), held
 * while any task of the JVM uses it. A cluster then opens connections by executors, not by task
 * slots: 1,000 cores in 16-core executors open 126, where a connection per task would open 1,000
 * (and one more per heartbeat).
 */
final class ExecutorStore implements AutoCloseable {

    /** The Spark setting that bounds an executor's connections to the results database. */
    static final String CONNECTIONS = "spark.churn.executor.connections";
    static final int DEFAULT_CONNECTIONS = 2;

    private static final Map<DatabaseSettings, ExecutorStore> OPEN = new HashMap<>();

    private final DatabaseSettings settings;
    private final RunStore store;
    private int users;

    private ExecutorStore(DatabaseSettings settings, RunStore store) {
        this.settings = settings;
        this.store = store;
    }

    /** The executor's store of {@code settings}, opened by its first user on {@code connections} connections. */
    static synchronized ExecutorStore acquire(DatabaseSettings settings, int connections) {
        ExecutorStore shared = OPEN.computeIfAbsent(settings, s -> new ExecutorStore(s, RunStore.shared(s,
                connections)));
        shared.users++;
        return shared;
    }

    /**
     * The connection bound {@code conf} sets; a value that is not a whole number of at least 1 is
     * refused naming the setting, so a sweep refuses it before any job starts.
     */
    static int connections(SparkConf conf) {
        String value = conf.get(CONNECTIONS, Integer.toString(DEFAULT_CONNECTIONS)).trim();
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(CONNECTIONS + ": '" + value + "' is not a number of connections;"
                + " use a whole number of at least 1 (default " + DEFAULT_CONNECTIONS + ")");
    }

    RunStore store() {
        return store;
    }

    /** Gives the store back; the last user closes its connections. */
    @Override
    public void close() throws SQLException {
        synchronized (ExecutorStore.class) {
            if (--users > 0) return;
            OPEN.remove(settings);
        }
        store.close();
    }
}
