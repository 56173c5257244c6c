package io.churn.sink;

import io.churn.spec.RunSpec;
import io.churn.train.Provenance;
import io.churn.train.RunStatus;
import java.io.IOException;
import java.io.StringReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * The run ledger: which runs a sweep names and where each is in its lifecycle. A sweep's runs are
 * recorded {@code queued} when it is submitted; a task marks each {@code running} when it starts
 * it (its result, written by {@link ResultWriter}, ends it {@code complete} or {@code failed}).
 * Every write is keyed by {@code run_id}, so a retried or speculative Spark task never duplicates
 * a row.
 */
public final class RunLedger {

    private static final Upsert SWEEP = new Upsert("sweep", List.of("sweep", "spec"),
            "on conflict (sweep) do update set spec = excluded.spec, submitted_at = now()");
    private static final List<String> PLANNED = ResultColumns.concat(List.of("run_id"), ResultColumns.SPEC);
    private static final Upsert MARK_RUNNING = new Upsert("run", ResultColumns.concat(PLANNED,
            List.of("status", "attempts", "started_at", "host", "executor", "spark_application_id")),
            "on conflict (run_id) do update set status = excluded.status, attempts = run.attempts + 1, error = null,"
                    + " started_at = excluded.started_at, host = excluded.host, executor = excluded.executor,"
                    + " spark_application_id = excluded.spark_application_id"
                    + " where run.status <> '" + RunStatus.COMPLETE.specName() + "'");

    private final RetryingConnection db;

    RunLedger(RetryingConnection db) {
        this.db = db;
    }

    /**
     * Records the sweep, its spec and its runs: new runs are {@code queued}, runs already known
     * keep their state. The sweep's membership becomes exactly {@code runs}: runs an edited spec no
     * longer names leave the sweep, never the run table (other sweeps may share them). Bulk-loaded
     * with COPY, so 100,000 runs take seconds.
     */
    public void registerSweep(String sweep, String specJson, List<RunSpec> runs) throws SQLException {
        StringBuilder csv = new StringBuilder(runs.size() * 160);
        for (RunSpec run : runs) {
            SqlRow v = ResultColumns.spec(run);
            csv.append(PLANNED.stream().map(c -> csvField(v.get(c))).collect(Collectors.joining(","))).append('\n');
        }
        db.transaction(c -> {
            SWEEP.execute(c, new SqlRow().put("sweep", sweep).json("spec", specJson));
            try (Statement s = c.createStatement()) {
                s.execute("create temp table planned (like run including defaults) on commit drop");
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                        "copy planned (" + String.join(", ", PLANNED) + ") from stdin (format csv)",
                        new StringReader(csv.toString()));
                s.execute("insert into run select * from planned on conflict (run_id) do nothing");
            } catch (IOException e) {
                throw new SQLException("copy failed: " + e.getMessage(), e);
            }
            try (PreparedStatement p = c.prepareStatement("insert into sweep_run (sweep, run_id)"
                    + " select ?, run_id from planned on conflict do nothing")) {
                p.setString(1, sweep);
                p.executeUpdate();
            }
            // the sweep is what its spec names now: runs an edited spec dropped leave it (their rows stay)
            try (PreparedStatement p = c.prepareStatement("delete from sweep_run w where w.sweep = ?"
                    + " and not exists (select 1 from planned p where p.run_id = w.run_id)")) {
                p.setString(1, sweep);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The ids of the sweep's runs in any of {@code statuses}. */
    public Set<String> runIds(String sweep, Collection<RunStatus> statuses) throws SQLException {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("select run_id from sweep_run join run using (run_id)"
                    + " where sweep = ? and status = any (?)")) {
                s.setString(1, sweep);
                s.setArray(2, c.createArrayOf("text", statuses.stream().map(RunStatus::specName).toArray()));
                return ids(s);
            }
        });
    }

    /** Which of these runs already have a complete result. */
    public Set<String> completed(Collection<String> runIds) throws SQLException {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "select run_id from run where status = ? and run_id = any (?)")) {
                s.setString(1, RunStatus.COMPLETE.specName());
                s.setArray(2, c.createArrayOf("text", runIds.toArray()));
                return ids(s);
            }
        });
    }

    /** Marks a run {@code running} on this executor, counting an attempt; a complete run is left alone. */
    public void markRunning(RunSpec run, Placement placement) throws SQLException {
        SqlRow v = ResultColumns.spec(run)
                .put("status", RunStatus.RUNNING.specName())
                .put("attempts", 1)
                .put("started_at", Timestamp.from(Instant.now()))
                .put("host", Provenance.CURRENT.host())
                .put("executor", placement.executor())
                .put("spark_application_id", placement.applicationId());
        db.call(c -> {
            MARK_RUNNING.execute(c, v);
            return null;
        });
    }

    private static Set<String> ids(PreparedStatement s) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) ids.add(rs.getString(1));
        }
        return ids;
    }

    private static String csvField(Object value) {
        if (value == null) return "";
        String text = value.toString();
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
