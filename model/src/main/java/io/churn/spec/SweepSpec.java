package io.churn.spec;

import java.io.Serializable;
import java.util.List;

/**
 * A validated sweep: its runs are the union of its grids' points, each repeated
 * {@code repetitions} times. Built by {@link SpecParser}. How it runs (engine, checkpoints, ...) is
 * kept apart, in {@code io.churn.settings.SweepSettings}.
 *
 * @param strict whether a (dataset, shape, depth, size) cell with no conformant layout refuses the
 *               whole sweep; otherwise such cells are skipped and counted, as BUTTER's grids expect
 */
public record SweepSpec(String name, long seed, int repetitions, double testSplit, List<Grid> grids, boolean strict)
        implements Serializable {

    public SweepSpec {
        grids = List.copyOf(grids);
    }

    /** A sweep that skips non-conformant cells. */
    public SweepSpec(String name, long seed, int repetitions, double testSplit, List<Grid> grids) {
        this(name, seed, repetitions, testSplit, grids, false);
    }
}
