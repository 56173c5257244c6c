package io.churn.sink;

import io.churn.train.RunResult;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes runs' results to table {@code run}: the row of a run ends {@code complete},
 * {@code diverged} or {@code failed} with its network, its epoch histories and its provenance. Only
 * the holder of the run's current {@link Claim} may write it, so a late, speculative or zombie
 * attempt never overwrites a result; writing the same result again with the same claim changes
 * nothing.
 */
public final class ResultWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ResultWriter.class);

    private static final String RESULT = "update run set "
            + ResultColumns.OUTCOME.stream().map(c -> c + " = ?").collect(Collectors.joining(", "))
            + ", lease_until = null where run_id = ? and claim_token = ?";

    private final RetryingConnection db;

    ResultWriter(RetryingConnection db) {
        this.db = db;
    }

    /**
     * Writes the run's result under {@code claim}, trained by the executor the claim names; false
     * (and a log line) when the claim no longer holds the run, whose result is then left as it is.
     */
    public boolean save(RunResult r, Claim claim) throws SQLException {
        return save(r, PackedHistories.pack(r.history()), claim);
    }

    /**
     * {@link #save(RunResult, Claim)} with the result's histories already packed
     * ({@link PackedHistories#pack(java.util.List)}): a load generator packs its few distinct
     * histories once, as each executor packs its own, so that it measures what the server ingests.
     */
    public boolean save(RunResult r, byte[] packedHistories, Claim claim) throws SQLException {
        if (!claim.runId().equals(r.runId())) {
            throw new IllegalArgumentException("the claim on " + claim.runId() + " is not one on " + r.runId());
        }
        SqlRow v = new SqlRow()
                .put("status", r.status().specName())
                .put("error", r.error())
                .put("task", r.task())
                .put("n_in", r.nIn())
                .put("n_out", r.nOut())
                .ints("widths", r.widths())
                .put("num_free_parameters", r.numFreeParameters())
                .put("engine", r.engine())
                .put(ResultColumns.HISTORIES, packedHistories)
                .put("executor", claim.placement().executor())
                .put("spark_application_id", claim.placement().applicationId())
                .putAll(ResultColumns.provenance(r.provenance()))
                .put("started_at", Timestamp.from(r.startedAt()))
                .put("finished_at", Timestamp.from(r.finishedAt()))
                .put("wall_seconds", r.wallSeconds());
        boolean written = db.call(c -> {
            try (PreparedStatement s = c.prepareStatement(RESULT)) {
                v.bind(s, ResultColumns.OUTCOME);
                s.setString(ResultColumns.OUTCOME.size() + 1, r.runId());
                s.setString(ResultColumns.OUTCOME.size() + 2, claim.token());
                return s.executeUpdate() == 1;
            }
        });
        if (!written) {
            LOG.warn("lost run {}: its claim was taken by another or given back while executor {} of {} trained it;"
                    + " its result ({}) is not written", r.runId(), claim.placement().executor(), claim.placement().applicationId(),
                    r.status().specName());
        }
        return written;
    }
}
