package io.churn.sink;

import io.churn.train.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A sweep's ledger at one moment: runs per status, failures grouped by the first line of their
 * error, and when runs finished (for throughput and ETA).
 *
 * @param finishedRecently runs finished in the ten minutes before {@code at}
 * @param firstRecent      the earliest of those, null when none
 */
public record SweepStatus(String sweep, Instant submittedAt, Instant at, Map<RunStatus, Integer> counts,
                          Map<String, Integer> failuresByError, int finishedRecently, Instant firstRecent,
                          Instant firstFinished, Instant lastFinished) {

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int finished() {
        return count(true);
    }

    public int remaining() {
        return count(false);
    }

    private int count(boolean finished) {
        return counts.entrySet().stream().filter(e -> e.getKey().isFinished() == finished)
                .mapToInt(Map.Entry::getValue).sum();
    }

    /** Runs finished per minute lately: over the last ten minutes, or since the first of them if later. */
    public double recentRunsPerMinute() {
        if (finishedRecently == 0) return 0;
        double minutes = Math.max(1.0, Duration.between(firstRecent, at).toMillis() / 60_000.0);
        return finishedRecently / minutes;
    }

    /** Time left at the recent rate, or null when nothing finished lately or nothing is left. */
    public Duration eta() {
        if (remaining() == 0 || finishedRecently == 0) {
            return null;
        }
        return Duration.ofSeconds((long) Math.ceil(remaining() / recentRunsPerMinute() * 60));
    }
}
