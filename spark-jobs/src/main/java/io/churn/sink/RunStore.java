package io.churn.sink;

import io.churn.spec.RunSpec;
import io.churn.train.EpochMetrics;
import io.churn.train.Provenance;
import io.churn.train.RunResult;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;

/**
 * The run ledger and results in PostgreSQL. A sweep's runs are recorded {@code queued} when it is
 * submitted; a task marks each {@code running} when it starts it and writes its result as
 * {@code complete} or {@code failed}. Every write is keyed by {@code run_id} and idempotent, so a
 * retried or speculative Spark task never duplicates a row; writes that meet a lost connection
 * reconnect and retry with backoff before giving up.
 */
public final class RunStore implements AutoCloseable {

    /** Run states, in the order a run passes through them. */
    public static final List<String> STATUSES = List.of("queued", "running", "complete", "failed");

    /** The columns that describe a run's spec: the sweep spec's keys. */
    static final List<String> SPEC_COLUMNS = List.of("dataset", "shape", "depth", "size", "learning_rate",
            "batch_size", "label_noise", "kernel_regularizer", "bias_regularizer", "optimizer", "momentum",
            "activation", "epochs", "early_stopping_patience", "test_split", "repetition", "seed");

    /** The columns a result fills. */
    static final List<String> OUTCOME_COLUMNS = List.of("status", "error", "task", "n_in", "n_out", "widths",
            "num_free_parameters", "engine", "train_loss", "test_loss", "train_accuracy", "test_accuracy",
            "train_mean_squared_error", "test_mean_squared_error", "train_mean_absolute_error",
            "test_mean_absolute_error", "epoch_seconds", "host", "executor", "spark_application_id", "java_version",
            "dl4j_version", "churn_revision", "started_at", "finished_at", "wall_seconds");

    /** Every column of {@code run}, in the order the Parquet export writes them. */
    public static final List<String> RUN_COLUMNS = concat(List.of("run_id"), OUTCOME_COLUMNS.subList(0, 2),
            List.of("attempts"), SPEC_COLUMNS, OUTCOME_COLUMNS.subList(2, OUTCOME_COLUMNS.size()));

    private static final Duration RETRY_FOR = Duration.ofSeconds(60);

    private final DatabaseSettings settings;
    private Connection connection;

    private RunStore(DatabaseSettings settings, Connection connection) {
        this.settings = settings;
        this.connection = connection;
    }

    /** Connects, failing at once with a message that names the server (never the password). */
    public static RunStore open(DatabaseSettings settings) {
        try {
            return new RunStore(settings, settings.connect());
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot connect to the results database " + settings + ": "
                    + e.getMessage(), e);
        }
    }

    /** Creates or upgrades the schema (Flyway migrations in {@code db/migration}). */
    public static void migrate(DatabaseSettings settings) {
        try (Connection probe = settings.connect()) {
            // reachability first, so an unreachable server gets our message rather than Flyway's
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot connect to the results database " + settings + ": "
                    + e.getMessage(), e);
        }
        Flyway.configure(RunStore.class.getClassLoader())
                .dataSource(settings.url(), settings.user(), settings.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /**
     * Records the sweep, its spec and its runs: new runs are {@code queued}, runs already known
     * keep their state. Bulk-loaded with COPY, so 100,000 runs take seconds.
     */
    public void registerSweep(String sweep, String specJson, List<RunSpec> runs) throws SQLException {
        List<String> columns = concat(List.of("run_id"), SPEC_COLUMNS);
        StringBuilder csv = new StringBuilder(runs.size() * 160);
        for (RunSpec run : runs) {
            Map<String, Object> v = specValues(run);
            v.put("run_id", run.runId());
            csv.append(columns.stream().map(c -> csvField(v.get(c))).collect(Collectors.joining(","))).append('\n');
        }
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            try (PreparedStatement p = connection.prepareStatement(
                    "insert into sweep (sweep, spec) values (?, ?::jsonb)"
                            + " on conflict (sweep) do update set spec = excluded.spec, submitted_at = now()")) {
                p.setString(1, sweep);
                p.setString(2, specJson);
                p.executeUpdate();
            }
            s.execute("create temp table planned (like run including defaults) on commit drop");
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "copy planned (" + String.join(", ", columns) + ") from stdin (format csv)",
                    new StringReader(csv.toString()));
            s.execute("insert into run select * from planned on conflict (run_id) do nothing");
            try (PreparedStatement p = connection.prepareStatement("insert into sweep_run (sweep, run_id)"
                    + " select ?, run_id from planned on conflict do nothing")) {
                p.setString(1, sweep);
                p.executeUpdate();
            }
            connection.commit();
        } catch (SQLException | java.io.IOException e) {
            connection.rollback();
            throw e instanceof SQLException sql ? sql : new SQLException("copy failed: " + e.getMessage(), e);
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** A sweep's cells with no conformant layout and the runs they held, left out when it was planned. */
    public record Skipped(int cells, long runs) {
    }

    /** Records what the sweep's plan skipped (nothing of it is in the ledger otherwise). */
    public void recordSkipped(String sweep, int cells, long runs) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "update sweep set skipped_cells = ?, skipped_runs = ? where sweep = ?")) {
            p.setInt(1, cells);
            p.setLong(2, runs);
            p.setString(3, sweep);
            p.executeUpdate();
        }
    }

    /** What the sweep's last plan skipped; none for an unknown sweep. */
    public Skipped skipped(String sweep) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "select skipped_cells, skipped_runs from sweep where sweep = ?")) {
            p.setString(1, sweep);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? new Skipped(rs.getInt(1), rs.getLong(2)) : new Skipped(0, 0);
            }
        }
    }

    /** The ids of the sweep's runs in any of {@code statuses}. */
    public Set<String> runIds(String sweep, Collection<String> statuses) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement s = connection.prepareStatement("select run_id from sweep_run join run using (run_id)"
                + " where sweep = ? and status = any (?)")) {
            s.setString(1, sweep);
            s.setArray(2, connection.createArrayOf("text", statuses.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Which of these runs already have a complete result. */
    public Set<String> completed(Collection<String> runIds) throws SQLException {
        return retrying(() -> {
            Set<String> done = new HashSet<>();
            try (PreparedStatement s = connection.prepareStatement(
                    "select run_id from run where status = 'complete' and run_id = any (?)")) {
                s.setArray(1, connection.createArrayOf("text", runIds.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) done.add(rs.getString(1));
                }
            }
            return done;
        });
    }

    /** Marks a run {@code running} on this executor, counting an attempt; a complete run is left alone. */
    public void markRunning(RunSpec run, Placement placement) throws SQLException {
        List<String> columns = concat(List.of("run_id"), SPEC_COLUMNS,
                List.of("status", "attempts", "started_at", "host", "executor", "spark_application_id"));
        Map<String, Object> v = specValues(run);
        v.put("run_id", run.runId());
        v.put("status", "running");
        v.put("attempts", 1);
        v.put("started_at", Timestamp.from(Instant.now()));
        v.put("host", Provenance.CURRENT.host());
        v.put("executor", placement.executor());
        v.put("spark_application_id", placement.applicationId());
        String sql = insert(columns) + " on conflict (run_id) do update set status = 'running',"
                + " attempts = run.attempts + 1, error = null, started_at = excluded.started_at, host = excluded.host,"
                + " executor = excluded.executor, spark_application_id = excluded.spark_application_id"
                + " where run.status <> 'complete'";
        retrying(() -> execute(sql, columns, v));
    }

    /** Writes the run's result; the row ends {@code complete} or {@code failed}. */
    public void saveResult(RunResult r, Placement placement) throws SQLException {
        List<EpochMetrics> h = r.history();
        Provenance p = r.provenance();
        Map<String, Object> v = specValues(r.run());
        v.put("run_id", r.runId());
        v.put("status", r.status().specName());
        v.put("error", r.error());
        v.put("task", r.task());
        v.put("n_in", r.nIn());
        v.put("n_out", r.nOut());
        v.put("widths", r.widths() == null ? null : new IntArray(r.widths()));
        v.put("num_free_parameters", r.numFreeParameters());
        v.put("engine", r.engine());
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
        v.put("executor", placement.executor());
        v.put("spark_application_id", placement.applicationId());
        v.put("java_version", p.javaVersion());
        v.put("dl4j_version", p.dl4jVersion());
        v.put("churn_revision", p.churnRevision());
        v.put("started_at", Timestamp.from(r.startedAt()));
        v.put("finished_at", Timestamp.from(r.finishedAt()));
        v.put("wall_seconds", r.wallSeconds());
        List<String> columns = concat(List.of("run_id"), SPEC_COLUMNS, OUTCOME_COLUMNS);
        String sql = insert(columns) + " on conflict (run_id) do update set " + OUTCOME_COLUMNS.stream()
                .map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
        retrying(() -> execute(sql, columns, v));
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

    /** The sum of the sweep's finished runs' own wall times, in seconds (0 before any finished). */
    public double trainingSeconds(String sweep) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "select coalesce(sum(r.wall_seconds), 0) from sweep_run w join run r using (run_id) where w.sweep = ?")) {
            s.setString(1, sweep);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    /** The names of every recorded sweep, newest first. */
    public List<String> sweeps() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select sweep from sweep order by submitted_at desc")) {
            while (rs.next()) names.add(rs.getString(1));
        }
        return names;
    }

    /** The spec a sweep was last submitted with, or null for an unknown sweep. */
    public String spec(String sweep) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("select spec::text from sweep where sweep = ?")) {
            s.setString(1, sweep);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** A snapshot of a sweep's ledger, for {@code churn status}. */
    public SweepStatus status(String sweep) throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        STATUSES.forEach(st -> counts.put(st, 0));
        Instant submitted;
        try (PreparedStatement s = connection.prepareStatement("select submitted_at from sweep where sweep = ?")) {
            s.setString(1, sweep);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) return null;
                submitted = rs.getTimestamp(1).toInstant();
            }
        }
        try (PreparedStatement s = connection.prepareStatement("select status, count(*) from sweep_run"
                + " join run using (run_id) where sweep = ? group by status")) {
            s.setString(1, sweep);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        Map<String, Integer> errors = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement("select split_part(error, E'\\n', 1) as first_line,"
                + " count(*) from sweep_run join run using (run_id) where sweep = ? and status = 'failed'"
                + " group by first_line order by count(*) desc, first_line limit 10")) {
            s.setString(1, sweep);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) errors.put(rs.getString(1), rs.getInt(2));
            }
        }
        try (PreparedStatement s = connection.prepareStatement("select now(),"
                + " count(*) filter (where finished_at >= now() - interval '10 minutes'),"
                + " min(finished_at) filter (where finished_at >= now() - interval '10 minutes'),"
                + " min(finished_at), max(finished_at) from sweep_run join run using (run_id)"
                + " where sweep = ? and status in ('complete', 'failed')")) {
            s.setString(1, sweep);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new SweepStatus(sweep, submitted, rs.getTimestamp(1).toInstant(), counts, errors, rs.getInt(2),
                        instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)));
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Map<String, Object> specValues(RunSpec run) {
        Map<String, Object> v = new LinkedHashMap<>(run.canonical());
        v.put("bias_regularizer", run.biasRegularizer().toString());
        v.put("momentum", run.momentum());
        v.put("activation", run.activation().specName());
        v.put("early_stopping_patience", run.earlyStoppingPatience());
        return v;
    }

    private static String insert(List<String> columns) {
        return "insert into run (" + String.join(", ", columns) + ") values ("
                + "?, ".repeat(columns.size() - 1) + "?)";
    }

    private Void execute(String sql, List<String> columns, Map<String, Object> v) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                String column = columns.get(i);
                if (!v.containsKey(column)) {
                    throw new IllegalStateException("no value for column " + column);
                }
                Object value = v.get(column);
                if (value instanceof DoubleArray d) {
                    s.setArray(i + 1, connection.createArrayOf("float8", d.values()));
                } else if (value instanceof IntArray a) {
                    s.setArray(i + 1, connection.createArrayOf("int4", a.values().toArray()));
                } else {
                    s.setObject(i + 1, value);
                }
            }
            s.executeUpdate();
        }
        return null;
    }

    /** Per-epoch values, bound as an array once a live connection is known. */
    private record DoubleArray(Object[] values) {
    }

    private record IntArray(List<Integer> values) {
    }

    private static DoubleArray history(List<EpochMetrics> h, Function<EpochMetrics, Double> metric) {
        return new DoubleArray(h.stream().map(metric).toArray());
    }

    /** Null when the task has no accuracy (regression), so SQL and Parquet say "not applicable". */
    private static DoubleArray accuracy(List<EpochMetrics> h, Function<EpochMetrics, Double> metric) {
        return h.isEmpty() || metric.apply(h.get(0)) == null ? null : history(h, metric);
    }

    /** A database call that may be repeated after reconnecting. */
    @FunctionalInterface
    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    /**
     * Runs {@code call}; when the connection is lost (SQLSTATE class 08, or a closed connection),
     * reconnects with exponential backoff and repeats it, for up to a minute.
     */
    private <T> T retrying(SqlCall<T> call) throws SQLException {
        Instant deadline = Instant.now().plus(RETRY_FOR);
        long pauseMs = 250;
        while (true) {
            try {
                return call.call();
            } catch (SQLException e) {
                if (!isConnectionLoss(e) || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                sleep(pauseMs);
                pauseMs = Math.min(pauseMs * 2, 8000);
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the old connection is gone either way
                }
                try {
                    connection = settings.connect();
                } catch (SQLException stillDown) {
                    // keep the broken connection: the next call fails fast and we try again
                }
            }
        }
    }

    private boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P03"))) {
            return true; // connection exception, admin shutdown, cannot connect now
        }
        try {
            return connection.isClosed();
        } catch (SQLException unknown) {
            return true;
        }
    }

    private static void sleep(long ms) throws SQLException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to reconnect", e);
        }
    }

    private static String csvField(Object value) {
        if (value == null) return "";
        String text = value.toString();
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) all.addAll(p);
        return List.copyOf(all);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
