package io.churn.driver;

import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import java.io.Serializable;

/**
 * What an executor reports back to the driver for one run (the result itself is in the database);
 * {@code error} is the first line of a failed run's error; {@code resumedFromEpoch} the epoch of the
 * checkpoint it went on from, 0 when it trained from scratch.
 */
public record RunOutcome(String runId, RunStatus status, String error, double wallSeconds, int resumedFromEpoch)
        implements Serializable {

    public static RunOutcome of(RunResult result) {
        String error = result.error() == null ? null : result.error().lines().findFirst().orElse("");
        return new RunOutcome(result.runId(), result.status(), error, result.wallSeconds(),
                result.resumedFromEpoch());
    }
}
