package io.churn.sink;

import java.sql.SQLException;

/**
 * The run tables in PostgreSQL, over connections that follow the shared reconnect policy
 * ({@link RetryingConnection}): the {@linkplain #ledger() ledger}, the {@linkplain #results()
 * results}, the {@linkplain #queries() queries} about sweeps and the {@linkplain #applications()
 * applications} working them. The schema is
 * {@link SchemaMigration}'s.
 */
public final class RunStore implements AutoCloseable {

    private final RetryingConnection db;
    private final RunLedger ledger;
    private final ResultWriter results;
    private final SweepQueries queries;
    private final Applications applications;

    private RunStore(RetryingConnection db) {
        this.db = db;
        this.ledger = new RunLedger(db);
        this.results = new ResultWriter(db);
        this.queries = new SweepQueries(db);
        this.applications = new Applications(db);
    }

    /** Connects, failing at once with a message that names the server (never the password). */
    public static RunStore open(DatabaseSettings settings) {
        return new RunStore(RetryingConnection.open(settings));
    }

    /**
     * A store that threads share, on at most {@code connections} connections (each call waits for
     * one): an executor's tasks open connections by the executor, not by the task.
     */
    public static RunStore shared(DatabaseSettings settings, int connections) {
        return new RunStore(RetryingConnection.open(settings, connections));
    }

    /** Which runs a sweep names and in which state each is. */
    public RunLedger ledger() {
        return ledger;
    }

    /** Where results are written. */
    public ResultWriter results() {
        return results;
    }

    /** Sweeps, their specs, counts and progress. */
    public SweepQueries queries() {
        return queries;
    }

    /** The applications working each sweep. */
    public Applications applications() {
        return applications;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
