package io.churn.sink;

import io.churn.spec.RunSpec;
import io.churn.train.Provenance;
import io.churn.train.RunStatus;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The run ledger, which is also the sweep's work queue: which runs a sweep names and where each is
 * in its lifecycle. A sweep's runs are recorded {@code queued} when it is submitted; a task trains
 * a run only once it has {@linkplain #claimFirst claimed} it, which marks it {@code running} under
 * a lease its heartbeat {@linkplain #renew renews}; its result, written by {@link ResultWriter}
 * with the claim's token, ends it {@code complete}, {@code diverged} or {@code failed}. A run whose
 * lease lapses (its holder died) can be claimed again. Every write is keyed by {@code run_id}, so a
 * retried or speculative Spark task never duplicates a row.
 */
public final class RunLedger {

    private static final Upsert SWEEP = new Upsert("sweep", List.of("sweep", "spec"),
            "on conflict (sweep) do update set spec = excluded.spec, submitted_at = now()");
    /** A run's columns as planned: its spec, and its dataset's digest, which its result restates as read. */
    private static final List<String> PLANNED = ResultColumns.concat(List.of("run_id"), ResultColumns.SPEC,
            List.of("dataset_sha256"));
    /**
     * Whether a task holding the claim {@code token} (parameter 1) may claim run {@code r} under
     * {@link ClaimRules}: parameters 2-10 are queued?, failed?, since, diverged?, since, max attempts,
     * queued?, running?, since. A repeated claim with the same token matches its own row, so the reconnect
     * policy may repeat it.
     */
    private static final String CLAIMABLE = "r.status <> 'complete' and (r.claim_token = ?"
            + " or (r.status = 'queued' and ?)"
            + " or (r.status = 'failed' and ? and coalesce(r.finished_at, '-infinity') < ?)"
            + " or (r.status = 'diverged' and ? and coalesce(r.finished_at, '-infinity') < ?)"
            + " or (r.status = 'running' and r.attempts < ? and ((? and coalesce(r.lease_until, '-infinity') < now())"
            + " or (? and coalesce(r.started_at, '-infinity') < ?))))";
    /** Claims the first claimable run of a list, in its order; a row another claim has locked is skipped. */
    private static final String CLAIM_FIRST = "update run set status = 'running',"
            + " attempts = run.attempts + case when run.claim_token = ? then 0 else 1 end, claim_token = ?,"
            + " lease_until = now() + ? * interval '1 millisecond', error = null, started_at = now(),"
            + " host = ?, executor = ?, spark_application_id = ?, claimed_by = ?"
            + " from (select r.run_id from unnest(?::text[]) with ordinality as c(run_id, position)"
            + " join run r using (run_id) where " + CLAIMABLE + " order by c.position limit 1 for update of r skip locked)"
            + " as chosen where run.run_id = chosen.run_id returning run.run_id";

    /** Characters of CSV sent to the server at a time. */
    private static final int COPY_CHUNK = 1 << 20;

    private final RetryingConnection db;

    RunLedger(RetryingConnection db) {
        this.db = db;
    }

    /**
     * Records the sweep, its spec and its runs: new runs are {@code queued}, runs already known
     * keep their state. The sweep's membership becomes exactly {@code runs}: runs an edited spec no
     * longer names leave the sweep, never the run table (other sweeps may share them). Bulk-loaded
     * with COPY, its rows made as they are sent (the server loads one chunk while the next is
     * made, and the driver never holds the whole text), so millions of runs take a minute or two.
     * {@code runs} are distinct, as a sweep's expansion makes them.
     */
    public void registerSweep(String sweep, String specJson, List<RunSpec> runs) throws SQLException {
        db.transaction(c -> {
            // the sweep's row lock orders applications registering it at once: the second sees the first's runs
            SWEEP.execute(c, new SqlRow().put("sweep", sweep).json("spec", specJson));
            boolean known;
            try (PreparedStatement p = c.prepareStatement("select 1 from sweep_run where sweep = ? limit 1")) {
                p.setString(1, sweep);
                try (ResultSet r = p.executeQuery()) {
                    known = r.next();
                }
            }
            if (!known) {
                recordNew(c, sweep, runs);
                return null;
            }
            recordRuns(c, runs);
            try (PreparedStatement p = c.prepareStatement("insert into sweep_run (sweep, run_id)"
                    + " select ?, run_id from planned on conflict do nothing")) {
                p.setString(1, sweep);
                p.executeUpdate();
            }
            // the sweep is what its spec names now: runs an edited spec dropped leave it (their rows stay)
            try (PreparedStatement p = c.prepareStatement("delete from sweep_run w where w.sweep = ?"
                    + " and not exists (select 1 from planned p where p.run_id = w.run_id)")) {
                p.setString(1, sweep);
                if (p.executeUpdate() > 0) {
                    // their rows are in the files of the sweep's last export: the next one is a full one
                    try (PreparedStatement left = c.prepareStatement(
                            "update sweep set files_stale_by = pg_current_xact_id() where sweep = ?")) {
                        left.setString(1, sweep);
                        left.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    /** Records the runs not yet known, from temp table {@code planned}, which this fills. */
    private static void recordRuns(Connection c, List<RunSpec> runs) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create temp table planned (like run including defaults) on commit drop");
            copyPlanned(c.unwrap(PGConnection.class).getCopyAPI(), runs);
            s.execute("insert into run select * from planned on conflict (run_id) do nothing");
        }
    }

    /**
     * A new sweep's runs and membership, on two connections at once (the server loads each on a core
     * of its own): a second connection records the runs not yet known and commits them, while
     * {@code c} copies the membership straight into {@code sweep_run}, which the sweep's transaction
     * commits only once the runs are in. Should it fail, what the second connection recorded is rows
     * no sweep names yet, as a later registration would have recorded them.
     */
    private void recordNew(Connection c, String sweep, List<RunSpec> runs) throws SQLException {
        CompletableFuture<Void> recorded = CompletableFuture.runAsync(() -> {
            try (RetryingConnection other = RetryingConnection.open(db.settings())) {
                other.transaction(o -> {
                    recordRuns(o, runs);
                    return null;
                });
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
        try {
            copyMembers(c.unwrap(PGConnection.class).getCopyAPI(), sweep, runs);
            recorded.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) throw sql;
            throw e;
        } finally {
            recorded.cancel(false);
        }
    }

    /** The sweep's membership straight into {@code sweep_run}. */
    private static void copyMembers(CopyManager copies, String sweep, List<RunSpec> runs) throws SQLException {
        copyCsv(copies, "copy sweep_run (sweep, run_id) from stdin (format csv)", runs, (chunk, run) -> {
            appendCsvField(chunk, sweep);
            chunk.append(',');
            appendCsvField(chunk, run.runId());
        });
    }

    /** The planned runs into temp table {@code planned}. */
    private static void copyPlanned(CopyManager copies, List<RunSpec> runs) throws SQLException {
        copyCsv(copies, "copy planned (" + String.join(", ", PLANNED) + ") from stdin (format csv)", runs,
                (chunk, run) -> {
                    SqlRow v = ResultColumns.spec(run);
                    for (int i = 0; i < PLANNED.size(); i++) {
                        if (i > 0) chunk.append(',');
                        appendCsvField(chunk, v.get(PLANNED.get(i)));
                    }
                });
    }

    /** Runs COPY {@code sql}, one CSV line per run made by {@code line}, sent chunk by chunk as made. */
    private static void copyCsv(CopyManager copies, String sql, List<RunSpec> runs,
                                BiConsumer<StringBuilder, RunSpec> line) throws SQLException {
        CopyIn copy = copies.copyIn(sql);
        try {
            StringBuilder chunk = new StringBuilder(COPY_CHUNK + 4096);
            for (RunSpec run : runs) {
                line.accept(chunk, run);
                chunk.append('\n');
                if (chunk.length() >= COPY_CHUNK) send(copy, chunk);
            }
            send(copy, chunk);
            copy.endCopy();
        } finally {
            if (copy.isActive()) copy.cancelCopy();
        }
    }

    private static void send(CopyIn copy, StringBuilder chunk) throws SQLException {
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
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

    /**
     * Claims the first of {@code runIds}, in their order, that {@code rules} let this task take:
     * marks it {@code running} on {@code placement} for {@code rules.holder()} under a lease
     * of {@code rules.lease()}, counting an attempt. Empty when none can be claimed now (complete, held under a live lease,
     * or locked by a concurrent claim).
     */
    public Optional<Claim> claimFirst(List<String> runIds, ClaimRules rules, Placement placement) throws SQLException {
        if (runIds.isEmpty()) return Optional.empty();
        String token = UUID.randomUUID().toString();
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement(CLAIM_FIRST)) {
                int i = 0;
                s.setString(++i, token);
                s.setString(++i, token);
                s.setLong(++i, rules.lease().toMillis());
                s.setString(++i, Provenance.CURRENT.host());
                s.setString(++i, placement.executor());
                s.setString(++i, placement.applicationId());
                s.setString(++i, rules.holder());
                s.setArray(++i, c.createArrayOf("text", runIds.toArray()));
                bindClaimable(s, i, token, rules);
                Set<String> claimed = ids(s);
                return claimed.stream().findFirst().map(id -> new Claim(id, token, placement));
            }
        });
    }

    /** Claims {@code run} if {@code rules} allow it; empty when it cannot be claimed now. */
    public Optional<Claim> claim(RunSpec run, ClaimRules rules, Placement placement) throws SQLException {
        return claimFirst(List.of(run.runId()), rules, placement);
    }

    /**
     * Renews the leases of the runs these claims still hold; returns the claims that no longer
     * hold their run (another claim took it after the lease lapsed).
     */
    public Set<Claim> renew(Collection<Claim> claims, Duration lease) throws SQLException {
        if (claims.isEmpty()) return Set.of();
        Set<String> held = db.call(c -> {
            // a run its holder just finished still carries the claim: held, not lost
            try (PreparedStatement s = c.prepareStatement("update run set lease_until = case when status = 'running'"
                    + " then now() + ? * interval '1 millisecond' end where claim_token = any (?) returning claim_token")) {
                s.setLong(1, lease.toMillis());
                s.setArray(2, c.createArrayOf("text", claims.stream().map(Claim::token).toArray()));
                return ids(s);
            }
        });
        return claims.stream().filter(cl -> !held.contains(cl.token())).collect(Collectors.toSet());
    }

    /**
     * Gives a claimed run back to the queue, unless it was taken meanwhile. {@code countAttempt}
     * false takes back the attempt its claim counted (a run stopped at a time limit did not fail).
     */
    public void release(Claim claim, boolean countAttempt) throws SQLException {
        db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("update run set status = 'queued', claim_token = null,"
                    + " claimed_by = null, lease_until = null, attempts = greatest(0, attempts - ?)"
                    + " where claim_token = ?"
                    + " and status = 'running'")) {
                s.setInt(1, countAttempt ? 0 : 1);
                s.setString(2, claim.token());
                return s.executeUpdate();
            }
        });
    }

    /**
     * Gives back to the queue every run of the sweep that {@code holder} still holds (its
     * application stops at its time limit, or Spark gave up on its tasks), so others need not wait
     * for the leases to lapse; {@code countAttempt} as for {@link #release}. Returns how many.
     */
    public int releaseAll(String sweep, String holder, boolean countAttempt) throws SQLException {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("update run r set status = 'queued', claim_token = null,"
                    + " claimed_by = null, lease_until = null, attempts = greatest(0, r.attempts - ?) from sweep_run w"
                    + " where w.run_id = r.run_id and w.sweep = ? and r.status = 'running'"
                    + " and r.claimed_by = ?")) {
                s.setInt(1, countAttempt ? 0 : 1);
                s.setString(2, sweep);
                s.setString(3, holder);
                return s.executeUpdate();
            }
        });
    }

    /**
     * Fails the sweep's runs whose lease lapsed after {@code maxAttempts} attempts: each attempt's
     * worker died while training them, so another attempt would likely die too. Returns how many.
     */
    public int failExhausted(String sweep, int maxAttempts) throws SQLException {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("update run r set status = 'failed', claim_token = null,"
                    + " claimed_by = null, lease_until = null, finished_at = now(),"
                    + " error = 'gave up after ' || r.attempts"
                    + " || ' attempts: the worker training it was lost each time (its lease lapsed)'"
                    + " from sweep_run w where w.run_id = r.run_id and w.sweep = ? and r.status = 'running'"
                    + " and r.attempts >= ? and coalesce(r.lease_until, '-infinity') < now()")) {
                s.setString(1, sweep);
                s.setInt(2, maxAttempts);
                return s.executeUpdate();
            }
        });
    }

    /**
     * What is left of a sweep for an application: the runs it may claim now, the runs others hold
     * under live leases, and when the first of those leases ends.
     */
    public record Queue(Set<String> claimable, int heldElsewhere, Instant firstLeaseEnd) {
    }

    /** The sweep's queue as {@code rules} see it. */
    public Queue queue(String sweep, ClaimRules rules) throws SQLException {
        return db.call(c -> {
            Set<String> claimable;
            try (PreparedStatement s = c.prepareStatement("select r.run_id from sweep_run w join run r using (run_id)"
                    + " where w.sweep = ? and " + CLAIMABLE)) {
                s.setString(1, sweep);
                bindClaimable(s, 1, "", rules);
                claimable = ids(s);
            }
            try (PreparedStatement s = c.prepareStatement("select count(*), min(r.lease_until) from sweep_run w"
                    + " join run r using (run_id) where w.sweep = ? and r.status = 'running' and r.lease_until >= now()")) {
                s.setString(1, sweep);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    Timestamp first = rs.getTimestamp(2);
                    return new Queue(claimable, rs.getInt(1), first == null ? null : first.toInstant());
                }
            }
        });
    }

    private static void bindClaimable(PreparedStatement s, int after, String token, ClaimRules rules)
            throws SQLException {
        int i = after;
        Timestamp since = Timestamp.from(rules.since());
        s.setString(++i, token);
        s.setBoolean(++i, rules.claims(RunStatus.QUEUED));
        s.setBoolean(++i, rules.claims(RunStatus.FAILED));
        s.setTimestamp(++i, since);
        s.setBoolean(++i, rules.claims(RunStatus.DIVERGED));
        s.setTimestamp(++i, since);
        s.setInt(++i, rules.maxAttempts());
        s.setBoolean(++i, rules.claims(RunStatus.QUEUED));
        s.setBoolean(++i, rules.claims(RunStatus.RUNNING));
        s.setTimestamp(++i, since);
    }

    private static Set<String> ids(PreparedStatement s) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) ids.add(rs.getString(1));
        }
        return ids;
    }

    private static void appendCsvField(StringBuilder csv, Object value) {
        if (value == null) return;
        String text = value.toString();
        csv.append('"');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '"') csv.append('"');
            csv.append(ch);
        }
        csv.append('"');
    }

    /** Records what the sweep's plan skipped: cells with no conformant layout, and their runs (never in the ledger). */
    public void recordSkipped(String sweep, int cells, long runs) throws SQLException {
        db.call(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "update sweep set skipped_cells = ?, skipped_runs = ? where sweep = ?")) {
                p.setInt(1, cells);
                p.setLong(2, runs);
                p.setString(3, sweep);
                p.executeUpdate();
            }
            return null;
        });
    }
}
