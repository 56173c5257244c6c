package io.churn.train;

import io.churn.spec.RunSpec;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one run. For a failed run, {@code error} says why and the network fields may be
 * null when it failed before the network was built; for a diverged one, it says at which epoch, the
 * last of its history. A history shorter than the run's epochs
 * means early stopping ended it. {@code resumedFromEpoch} is the epoch of the checkpoint the run
 * went on from, 0 when it trained from scratch.
 */
public record RunResult(
        RunSpec run,
        RunStatus status,
        String error,
        String task,
        Integer nIn,
        Integer nOut,
        List<Integer> widths,
        Long numFreeParameters,
        String engine,
        List<EpochMetrics> history,
        int resumedFromEpoch,
        Provenance provenance,
        Instant startedAt,
        Instant finishedAt) implements Serializable {

    public RunResult {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(status, "status");
        if (!status.isFinished()) {
            throw new IllegalArgumentException("a result is complete, diverged or failed, not " + status.specName());
        }
        widths = widths == null ? null : List.copyOf(widths);
        history = List.copyOf(history);
    }

    public String runId() {
        return run.runId();
    }

    public double wallSeconds() {
        return (finishedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
    }
}
