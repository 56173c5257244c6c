package io.churn.sink;

import io.churn.train.Provenance;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Spark applications working each sweep (table {@code sweep_application}): any number may work
 * one sweep at once, from any clusters; each joins when it starts, beats while it works and leaves
 * when it ends. An application that stops beating without leaving died; its runs return to the
 * queue as their leases lapse.
 */
public final class Applications {

    /** One application of a sweep, with the runs it holds now and those it finished. */
    public record Member(String applicationId, String master, String host, Instant startedAt, Instant heartbeatAt,
                         Instant endedAt, int claimed, int done) {
    }

    private final RetryingConnection db;

    Applications(RetryingConnection db) {
        this.db = db;
    }

    /** Records that the application works the sweep from this host; returns when it joined, by the database's clock. */
    public Instant join(String sweep, String applicationId, String master) throws SQLException {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("insert into sweep_application"
                    + " (sweep, application_id, master, host) values (?, ?, ?, ?)"
                    + " on conflict (sweep, application_id) do update set heartbeat_at = now(), ended_at = null"
                    + " returning started_at")) {
                s.setString(1, sweep);
                s.setString(2, applicationId);
                s.setString(3, master);
                s.setString(4, Provenance.CURRENT.host());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getTimestamp(1).toInstant();
                }
            }
        });
    }

    /** The application is still working the sweep. */
    public void beat(String sweep, String applicationId) throws SQLException {
        touch(sweep, applicationId, "heartbeat_at = now()");
    }

    /** The application is done with the sweep. */
    public void leave(String sweep, String applicationId) throws SQLException {
        touch(sweep, applicationId, "heartbeat_at = now(), ended_at = now()");
    }

    private void touch(String sweep, String applicationId, String set) throws SQLException {
        db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("update sweep_application set " + set
                    + " where sweep = ? and application_id = ?")) {
                s.setString(1, sweep);
                s.setString(2, applicationId);
                return s.executeUpdate();
            }
        });
    }

    /** The applications that worked the sweep, the first to join first. */
    public List<Member> of(String sweep) throws SQLException {
        return db.call(c -> {
            List<Member> members = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select a.application_id, a.master, a.host, a.started_at,"
                    + " a.heartbeat_at, a.ended_at, count(r.run_id) filter (where r.status = 'running'),"
                    + " count(r.run_id) filter (where r.status in ('complete', 'diverged', 'failed'))"
                    + " from sweep_application a left join (sweep_run w join run r using (run_id))"
                    + " on w.sweep = a.sweep and r.spark_application_id = a.application_id"
                    + " where a.sweep = ? group by a.sweep, a.application_id order by a.started_at, a.application_id")) {
                s.setString(1, sweep);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        members.add(new Member(rs.getString(1), rs.getString(2), rs.getString(3),
                                instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)),
                                rs.getInt(7), rs.getInt(8)));
                    }
                }
            }
            return members;
        });
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
