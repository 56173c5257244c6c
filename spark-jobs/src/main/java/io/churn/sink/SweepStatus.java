package io.churn.sink;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A sweep's ledger at one moment: runs per status, failures grouped by the first line of their
 * error, and how many runs finished in the last ten minutes (for throughput and ETA).
 */
public record SweepStatus(String sweep, Instant submittedAt, Map<String, Integer> counts,
                          Map<String, Integer> failuresByError, int finishedLastTenMinutes,
                          Instant firstFinished, Instant lastFinished) {

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int remaining() {
        return counts.get("queued") + counts.get("running");
    }

    /** Runs finished per minute over the last ten minutes. */
    public double runsPerMinute() {
        return finishedLastTenMinutes / 10.0;
    }

    /** Time left at the recent rate, or null when nothing finished recently or nothing is left. */
    public Duration eta() {
        if (remaining() == 0 || finishedLastTenMinutes == 0) {
            return null;
        }
        return Duration.ofSeconds((long) Math.ceil(remaining() / runsPerMinute() * 60));
    }
}
