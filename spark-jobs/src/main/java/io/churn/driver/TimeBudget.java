package io.churn.driver;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;

/**
 * When an application under a time limit stops claiming runs, and how long a run is expected to
 * take: its estimated cost (the plan's) times the sweep's measured seconds per unit of cost, with
 * a margin. A task claims a run only when it is expected to end before {@code stopClaiming}.
 *
 * @param secondsPerCost measured so far over the sweep's finished runs; NaN before any finished
 */
public record TimeBudget(Instant stopClaiming, Map<String, Double> costs, double secondsPerCost)
        implements Serializable {

    /** No time limit. */
    public static final TimeBudget NONE = new TimeBudget(null, Map.of(), Double.NaN);

    /** Runs take up to this much longer than their estimate. */
    private static final double MARGIN = 1.25;

    public TimeBudget {
        costs = Map.copyOf(costs);
    }

    boolean limited() {
        return stopClaiming != null;
    }

    /**
     * Whether the run, started {@code now}, is expected to end before claims stop; at the rate
     * {@code observedSecondsPerCost} when the caller measured one (else NaN), or the sweep's. With
     * nothing measured yet any run fits until claims stop: the first runs give the rate.
     */
    boolean fits(String runId, double observedSecondsPerCost, Instant now) {
        if (stopClaiming == null) return true;
        if (!now.isBefore(stopClaiming)) return false;
        double rate = observedSecondsPerCost > 0 ? observedSecondsPerCost : secondsPerCost;
        Double cost = costs.get(runId);
        if (!(rate > 0) || cost == null) return true;
        return now.plusMillis((long) (cost * rate * MARGIN * 1000)).isBefore(stopClaiming);
    }

    TimeBudget withSecondsPerCost(double measured) {
        return new TimeBudget(stopClaiming, costs, measured);
    }
}
