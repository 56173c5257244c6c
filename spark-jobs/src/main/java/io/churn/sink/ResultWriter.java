package io.churn.sink;

import io.churn.train.RunResult;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Writes runs' results to table {@code run}: the row of a run ends {@code complete},
 * {@code diverged} or {@code failed} with its network, its epoch histories and its provenance. Keyed by
 * {@code run_id}, so writing a result again replaces it.
 */
public final class ResultWriter {

    /** A run first seen here gets its spec too; a known run keeps it. */
    private static final Upsert RESULT = Upsert.replacing("run", List.of("run_id"),
            ResultColumns.concat(List.of("run_id"), ResultColumns.SPEC, ResultColumns.OUTCOME), ResultColumns.OUTCOME);

    private final RetryingConnection db;

    ResultWriter(RetryingConnection db) {
        this.db = db;
    }

    /** Writes the run's result, as trained by the executor {@code placement} names. */
    public void save(RunResult r, Placement placement) throws SQLException {
        SqlRow v = ResultColumns.spec(r.run())
                .put("status", r.status().specName())
                .put("error", r.error())
                .put("task", r.task())
                .put("n_in", r.nIn())
                .put("n_out", r.nOut())
                .ints("widths", r.widths())
                .put("num_free_parameters", r.numFreeParameters())
                .put("engine", r.engine())
                .putAll(ResultColumns.histories(r.history()))
                .put("executor", placement.executor())
                .put("spark_application_id", placement.applicationId())
                .putAll(ResultColumns.provenance(r.provenance()))
                .put("started_at", Timestamp.from(r.startedAt()))
                .put("finished_at", Timestamp.from(r.finishedAt()))
                .put("wall_seconds", r.wallSeconds());
        db.call(c -> {
            RESULT.execute(c, v);
            return null;
        });
    }
}
