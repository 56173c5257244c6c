package io.churn.sink;

import io.churn.train.RunStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the ledger says about sweeps: which are recorded, their specs, their runs per state, progress. */
public final class SweepQueries {

    private final RetryingConnection db;

    SweepQueries(RetryingConnection db) {
        this.db = db;
    }

    /** The names of every recorded sweep, newest first. */
    public List<String> sweeps() throws SQLException {
        return db.call(c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select sweep from sweep order by submitted_at desc");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
            return names;
        });
    }

    /**
     * The other sweeps that share any of {@code runIds} with {@code sweep} and were exported, each
     * with the results folder it was last exported to.
     */
    public Map<String, String> exportedSweepsSharing(String sweep, Collection<String> runIds) throws SQLException {
        return db.call(c -> {
            Map<String, String> sweeps = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("select distinct o.sweep, x.exported_to from sweep_run o"
                    + " join sweep x on x.sweep = o.sweep where o.sweep <> ? and o.run_id = any (?)"
                    + " and x.exported_to is not null order by o.sweep")) {
                s.setString(1, sweep);
                s.setArray(2, c.createArrayOf("text", runIds.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) sweeps.put(rs.getString(1), rs.getString(2));
                }
            }
            return sweeps;
        });
    }

    /** The spec a sweep was last submitted with, or null for an unknown sweep. */
    public String spec(String sweep) throws SQLException {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("select spec::text from sweep where sweep = ?")) {
                s.setString(1, sweep);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    /** The results folder the sweep was last exported to, or null when it was never exported. */
    public String exportedTo(String sweep) throws SQLException {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("select exported_to from sweep where sweep = ?")) {
                s.setString(1, sweep);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    /** Counts of the sweep's runs by finished state, among those finished at or after {@code since}. */
    public Map<RunStatus, Integer> finishedSince(String sweep, Instant since) throws SQLException {
        return db.call(c -> {
            Map<RunStatus, Integer> counts = new EnumMap<>(RunStatus.class);
            for (RunStatus st : RunStatus.values()) {
                if (st.isFinished()) counts.put(st, 0);
            }
            try (PreparedStatement s = c.prepareStatement("select r.status, count(*) from sweep_run w"
                    + " join run r using (run_id) where w.sweep = ? and r.finished_at >= ? group by r.status")) {
                s.setString(1, sweep);
                s.setTimestamp(2, Timestamp.from(since));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) counts.put(RunStatus.fromSpecName(rs.getString(1)), rs.getInt(2));
                }
            }
            return counts;
        });
    }

    /** The sum of the sweep's finished runs' own wall times, in seconds (0 before any finished). */
    public double trainingSeconds(String sweep) throws SQLException {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("select coalesce(sum(r.wall_seconds), 0) from sweep_run w"
                    + " join run r using (run_id) where w.sweep = ?")) {
                s.setString(1, sweep);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getDouble(1);
                }
            }
        });
    }

    /** The wall seconds of each of the sweep's complete runs, by run id. */
    public Map<String, Double> completeWallSeconds(String sweep) throws SQLException {
        return db.call(c -> {
            Map<String, Double> seconds = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("select r.run_id, r.wall_seconds from sweep_run w"
                    + " join run r using (run_id) where w.sweep = ? and r.status = ? and r.wall_seconds is not null")) {
                s.setString(1, sweep);
                s.setString(2, RunStatus.COMPLETE.specName());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) seconds.put(rs.getString(1), rs.getDouble(2));
                }
            }
            return seconds;
        });
    }

    /** A snapshot of a sweep's ledger, for {@code churn status}; null for an unknown sweep. */
    public SweepStatus status(String sweep) throws SQLException {
        return db.call(c -> {
            Instant submitted;
            try (PreparedStatement s = c.prepareStatement("select submitted_at from sweep where sweep = ?")) {
                s.setString(1, sweep);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) return null;
                    submitted = rs.getTimestamp(1).toInstant();
                }
            }
            Map<RunStatus, Integer> counts = new EnumMap<>(RunStatus.class);
            for (RunStatus st : RunStatus.values()) counts.put(st, 0);
            try (PreparedStatement s = c.prepareStatement("select status, count(*) from sweep_run"
                    + " join run using (run_id) where sweep = ? group by status")) {
                s.setString(1, sweep);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) counts.put(RunStatus.fromSpecName(rs.getString(1)), rs.getInt(2));
                }
            }
            Map<String, Integer> errors = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("select split_part(error, E'\\n', 1) as first_line,"
                    + " count(*) from sweep_run join run using (run_id) where sweep = ? and status = ?"
                    + " group by first_line order by count(*) desc, first_line limit 10")) {
                s.setString(1, sweep);
                s.setString(2, RunStatus.FAILED.specName());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) errors.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (PreparedStatement s = c.prepareStatement("select now(),"
                    + " count(*) filter (where finished_at >= now() - interval '10 minutes'),"
                    + " min(finished_at) filter (where finished_at >= now() - interval '10 minutes'),"
                    + " min(finished_at), max(finished_at) from sweep_run join run using (run_id)"
                    + " where sweep = ? and status in (?, ?, ?)")) {
                s.setString(1, sweep);
                s.setString(2, RunStatus.COMPLETE.specName());
                s.setString(3, RunStatus.DIVERGED.specName());
                s.setString(4, RunStatus.FAILED.specName());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new SweepStatus(sweep, submitted, rs.getTimestamp(1).toInstant(), counts, errors,
                            rs.getInt(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)),
                            instant(rs.getTimestamp(5)));
                }
            }
        });
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** A sweep's cells with no conformant layout and the runs they held, left out when it was planned. */
    public record Skipped(int cells, long runs) {
    }

    /** What the sweep's last plan skipped; none for an unknown sweep. */
    public Skipped skipped(String sweep) throws SQLException {
        return db.call(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "select skipped_cells, skipped_runs from sweep where sweep = ?")) {
                p.setString(1, sweep);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? new Skipped(rs.getInt(1), rs.getLong(2)) : new Skipped(0, 0);
                }
            }
        });
    }
}
