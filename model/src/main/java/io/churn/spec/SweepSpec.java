package io.churn.spec;

import java.io.Serializable;
import java.util.List;

/**
 * A validated sweep: its runs are the union of its grids' points, each repeated
 * {@code repetitions} times. Built by {@link SpecParser}. How it runs (engine, checkpoints, ...) is
 * kept apart, in {@code io.churn.settings.SweepSettings}.
 */
public record SweepSpec(String name, long seed, int repetitions, double testSplit, List<Grid> grids)
        implements Serializable {

    public SweepSpec {
        grids = List.copyOf(grids);
    }
}
