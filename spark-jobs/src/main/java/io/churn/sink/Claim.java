package io.churn.sink;

import java.io.Serializable;

/**
 * A task's hold on one run: the run's state and result are written only with the {@code token} of
 * its current claim, so a zombie attempt, a speculative copy or another application that lost the
 * run is refused.
 */
public record Claim(String runId, String token, Placement placement) implements Serializable {
}
