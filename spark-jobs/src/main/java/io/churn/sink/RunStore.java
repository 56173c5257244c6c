package io.churn.sink;

import io.churn.spec.RunSpec;
import io.churn.train.EpochMetrics;
import io.churn.train.RunResult;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.flywaydb.core.Flyway;

/**
 * The run ledger and results in PostgreSQL. Every write is keyed by {@code run_id} and idempotent,
 * so a retried or speculative Spark task never duplicates a row.
 */
public final class RunStore implements AutoCloseable {

    /** Columns of {@code run} written from a result, in statement order. */
    static final List<String> RESULT_COLUMNS = List.of("run_id", "status", "error", "dataset", "shape", "depth",
            "size", "learning_rate", "batch_size", "label_noise", "kernel_regularizer", "optimizer", "epochs",
            "test_split", "repetition", "seed", "task", "n_in", "n_out", "widths", "num_free_parameters",
            "train_loss", "test_loss", "train_accuracy", "test_accuracy", "train_mean_squared_error",
            "test_mean_squared_error", "epoch_seconds", "host", "started_at", "finished_at", "wall_seconds");

    private static final String UPSERT;

    static {
        StringBuilder sql = new StringBuilder("insert into run (").append(String.join(", ", RESULT_COLUMNS))
                .append(") values (").append("?, ".repeat(RESULT_COLUMNS.size() - 1)).append("?)")
                .append(" on conflict (run_id) do update set ");
        for (String c : RESULT_COLUMNS.subList(1, RESULT_COLUMNS.size())) {
            sql.append(c).append(" = excluded.").append(c).append(", ");
        }
        sql.append("attempts = run.attempts + 1");
        UPSERT = sql.toString();
    }

    private final Connection connection;

    private RunStore(Connection connection) {
        this.connection = connection;
    }

    public static RunStore open(DatabaseSettings settings) {
        try {
            Connection c = settings.connect();
            c.setAutoCommit(true);
            return new RunStore(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the results database " + settings + ": "
                    + e.getMessage(), e);
        }
    }

    /** Creates or upgrades the schema (Flyway migrations in {@code db/migration}). */
    public static void migrate(DatabaseSettings settings) {
        Flyway.configure(RunStore.class.getClassLoader())
                .dataSource(settings.url(), settings.user(), settings.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** Records the sweep's spec and which runs it names; repeating this is harmless. */
    public void registerSweep(String sweep, String specJson, Collection<String> runIds) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement s = connection.prepareStatement(
                    "insert into sweep (sweep, spec) values (?, ?::jsonb)"
                            + " on conflict (sweep) do update set spec = excluded.spec, submitted_at = now()")) {
                s.setString(1, sweep);
                s.setString(2, specJson);
                s.executeUpdate();
            }
            try (PreparedStatement s = connection.prepareStatement(
                    "insert into sweep_run (sweep, run_id) values (?, ?) on conflict do nothing")) {
                int pending = 0;
                for (String id : runIds) {
                    s.setString(1, sweep);
                    s.setString(2, id);
                    s.addBatch();
                    if (++pending == 1000) {
                        s.executeBatch();
                        pending = 0;
                    }
                }
                s.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Which of these runs already have a complete result. */
    public Set<String> completed(Collection<String> runIds) throws SQLException {
        Set<String> done = new HashSet<>();
        try (PreparedStatement s = connection.prepareStatement(
                "select run_id from run where status = 'complete' and run_id = any (?)")) {
            s.setArray(1, connection.createArrayOf("text", runIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) done.add(rs.getString(1));
            }
        }
        return done;
    }

    /** Counts of the sweep's runs by status, among those finished at or after {@code since}. */
    public Map<String, Integer> finishedSince(String sweep, Instant since) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "select count(*) filter (where r.status = 'complete'), count(*) filter (where r.status = 'failed')"
                        + " from sweep_run w join run r using (run_id) where w.sweep = ? and r.finished_at >= ?")) {
            s.setString(1, sweep);
            s.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return Map.of("complete", rs.getInt(1), "failed", rs.getInt(2));
            }
        }
    }

    /** Inserts or replaces the run's result. */
    public void upsert(RunResult r) throws SQLException {
        RunSpec run = r.run();
        List<EpochMetrics> h = r.history();
        try (PreparedStatement s = connection.prepareStatement(UPSERT)) {
            int i = 1;
            s.setString(i++, r.runId());
            s.setString(i++, r.status().specName());
            s.setString(i++, r.error());
            s.setString(i++, run.dataset());
            s.setString(i++, run.shape());
            s.setInt(i++, run.depth());
            s.setLong(i++, run.size());
            s.setDouble(i++, run.learningRate());
            s.setInt(i++, run.batchSize());
            s.setDouble(i++, run.labelNoise());
            s.setString(i++, run.kernelRegularizer().toString());
            s.setString(i++, run.optimizer().specName());
            s.setInt(i++, run.epochs());
            s.setDouble(i++, run.testSplit());
            s.setInt(i++, run.repetition());
            s.setLong(i++, run.seed());
            s.setString(i++, r.task());
            s.setObject(i++, r.nIn(), Types.INTEGER);
            s.setObject(i++, r.nOut(), Types.INTEGER);
            s.setArray(i++, r.widths() == null ? null : connection.createArrayOf("int4", r.widths().toArray()));
            s.setObject(i++, r.numFreeParameters(), Types.BIGINT);
            s.setArray(i++, history(h, EpochMetrics::trainLoss));
            s.setArray(i++, history(h, EpochMetrics::testLoss));
            s.setArray(i++, accuracy(h, EpochMetrics::trainAccuracy));
            s.setArray(i++, accuracy(h, EpochMetrics::testAccuracy));
            s.setArray(i++, history(h, EpochMetrics::trainMeanSquaredError));
            s.setArray(i++, history(h, EpochMetrics::testMeanSquaredError));
            s.setArray(i++, history(h, EpochMetrics::seconds));
            s.setString(i++, r.host());
            s.setTimestamp(i++, Timestamp.from(r.startedAt()));
            s.setTimestamp(i++, Timestamp.from(r.finishedAt()));
            s.setDouble(i, r.wallSeconds());
            s.executeUpdate();
        }
    }

    private Array history(List<EpochMetrics> h, Function<EpochMetrics, Double> metric) throws SQLException {
        return connection.createArrayOf("float8", h.stream().map(metric).toArray());
    }

    /** Null when the task has no accuracy (regression), so SQL and Parquet say "not applicable". */
    private Array accuracy(List<EpochMetrics> h, Function<EpochMetrics, Double> metric) throws SQLException {
        if (h.isEmpty() || metric.apply(h.get(0)) == null) {
            return null;
        }
        return history(h, metric);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
