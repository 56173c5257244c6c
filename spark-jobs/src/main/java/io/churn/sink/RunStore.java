package io.churn.sink;

import io.churn.spec.RunSpec;
import io.churn.train.EpochMetrics;
import io.churn.train.Provenance;
import io.churn.train.RunResult;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
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
            "size", "learning_rate", "batch_size", "label_noise", "kernel_regularizer", "bias_regularizer", "optimizer",
            "momentum",
            "activation", "epochs", "early_stopping_patience", "test_split", "repetition", "seed", "task", "n_in",
            "n_out", "widths", "num_free_parameters", "train_loss", "test_loss", "train_accuracy", "test_accuracy",
            "train_mean_squared_error", "test_mean_squared_error", "train_mean_absolute_error",
            "test_mean_absolute_error", "epoch_seconds", "host", "executor", "spark_application_id", "java_version",
            "dl4j_version", "churn_revision", "started_at", "finished_at", "wall_seconds");

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

    /** Inserts or replaces the run's result, trained by {@code executor} of application {@code applicationId}. */
    public void upsert(RunResult r, String executor, String applicationId) throws SQLException {
        RunSpec run = r.run();
        List<EpochMetrics> h = r.history();
        Provenance p = r.provenance();
        Map<String, Object> v = new HashMap<>();
        v.put("run_id", r.runId());
        v.put("status", r.status().specName());
        v.put("error", r.error());
        run.canonical().forEach((key, value) -> v.put(key, value));
        v.put("bias_regularizer", run.biasRegularizer().toString());
        v.put("momentum", run.momentum());
        v.put("activation", run.activation().specName());
        v.put("early_stopping_patience", run.earlyStoppingPatience());
        v.put("task", r.task());
        v.put("n_in", r.nIn());
        v.put("n_out", r.nOut());
        v.put("widths", r.widths() == null ? null : connection.createArrayOf("int4", r.widths().toArray()));
        v.put("num_free_parameters", r.numFreeParameters());
        v.put("train_loss", history(h, EpochMetrics::trainLoss));
        v.put("test_loss", history(h, EpochMetrics::testLoss));
        v.put("train_accuracy", accuracy(h, EpochMetrics::trainAccuracy));
        v.put("test_accuracy", accuracy(h, EpochMetrics::testAccuracy));
        v.put("train_mean_squared_error", history(h, EpochMetrics::trainMeanSquaredError));
        v.put("test_mean_squared_error", history(h, EpochMetrics::testMeanSquaredError));
        v.put("train_mean_absolute_error", history(h, EpochMetrics::trainMeanAbsoluteError));
        v.put("test_mean_absolute_error", history(h, EpochMetrics::testMeanAbsoluteError));
        v.put("epoch_seconds", history(h, EpochMetrics::seconds));
        v.put("host", p.host());
        v.put("executor", executor);
        v.put("spark_application_id", applicationId);
        v.put("java_version", p.javaVersion());
        v.put("dl4j_version", p.dl4jVersion());
        v.put("churn_revision", p.churnRevision());
        v.put("started_at", Timestamp.from(r.startedAt()));
        v.put("finished_at", Timestamp.from(r.finishedAt()));
        v.put("wall_seconds", r.wallSeconds());
        try (PreparedStatement s = connection.prepareStatement(UPSERT)) {
            for (int i = 0; i < RESULT_COLUMNS.size(); i++) {
                String column = RESULT_COLUMNS.get(i);
                if (!v.containsKey(column)) {
                    throw new IllegalStateException("no value for column " + column);
                }
                s.setObject(i + 1, v.get(column));
            }
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
