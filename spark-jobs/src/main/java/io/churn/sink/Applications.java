package io.churn.sink;

import io.churn.train.Provenance;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The Spark applications working each sweep (table {@code sweep_application}): any number may work
 * one sweep at once, from any clusters; each joins when it starts, beats while it works and leaves
 * when it ends. An application that stops beating without leaving died; its runs return to the
 * queue as their leases lapse. Each time an application joins it holds the sweep under a holder of
 * its own, which its claims name: Spark's application ids are not unique across clusters (a
 * standalone master numbers its applications from the second they were submitted, so two clusters
 * of a job array started together name theirs alike).
 */
public final class Applications {

    /** One application's hold on a sweep, with the runs it holds now and those it finished. */
    public record Member(String holder, String applicationId, String master, String host, Instant startedAt,
                         Instant heartbeatAt, Instant endedAt, int claimed, int done) {
    }

    /** An application's hold on a sweep, as its claims name it, and when it began by the database's clock. */
    public record Joined(String holder, Instant at) {
    }

    private final RetryingConnection db;

    Applications(RetryingConnection db) {
        this.db = db;
    }

    /** Records that the application works the sweep from this host, under a new holder. */
    public Joined join(String sweep, String applicationId, String master) throws SQLException {
        String holder = applicationId + "#" + UUID.randomUUID().toString().substring(0, 8);
        return db.call(c -> {
            // a repeated insert (the reconnect policy may repeat it) finds its own row
            try (PreparedStatement s = c.prepareStatement("insert into sweep_application"
                    + " (holder, sweep, application_id, master, host) values (?, ?, ?, ?, ?)"
                    + " on conflict (holder) do update set heartbeat_at = now() returning started_at")) {
                s.setString(1, holder);
                s.setString(2, sweep);
                s.setString(3, applicationId);
                s.setString(4, master);
                s.setString(5, Provenance.CURRENT.host());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new Joined(holder, rs.getTimestamp(1).toInstant());
                }
            }
        });
    }

    /** The holder still works its sweep. */
    public void beat(String holder) throws SQLException {
        touch(holder, "heartbeat_at = now()");
    }

    /** The holder is done with its sweep. */
    public void leave(String holder) throws SQLException {
        touch(holder, "heartbeat_at = now(), ended_at = now()");
    }

    private void touch(String holder, String set) throws SQLException {
        db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("update sweep_application set " + set
                    + " where holder = ?")) {
                s.setString(1, holder);
                return s.executeUpdate();
            }
        });
    }

    /** The applications' holds on the sweep, the first to join first. */
    public List<Member> of(String sweep) throws SQLException {
        return db.call(c -> {
            List<Member> members = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select a.holder, a.application_id, a.master, a.host,"
                    + " a.started_at, a.heartbeat_at, a.ended_at, count(r.run_id) filter (where r.status = 'running'),"
                    + " count(r.run_id) filter (where r.status in ('complete', 'diverged', 'failed'))"
                    + " from sweep_application a left join (sweep_run w join run r using (run_id))"
                    + " on w.sweep = a.sweep and r.claimed_by = a.holder"
                    + " where a.sweep = ? group by a.holder order by a.started_at, a.holder")) {
                s.setString(1, sweep);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        members.add(new Member(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
                                rs.getInt(8), rs.getInt(9)));
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
