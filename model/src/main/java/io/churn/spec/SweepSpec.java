package io.churn.spec;

import java.io.Serializable;
import io.churn.train.Engine;
import java.util.List;

/**
 * A validated sweep: its runs are the union of its grids' points, each repeated
 * {@code repetitions} times. Built by {@link SpecParser}.
 */
public record SweepSpec(String name, long seed, int repetitions, double testSplit, Engine engine,
                        DataParallel dataParallel, CheckpointSettings checkpoints, List<Grid> grids)
        implements Serializable {

    public SweepSpec {
        grids = List.copyOf(grids);
    }

    /** The same sweep trained on another engine (the engine is not part of a run's identity). */
    public SweepSpec withEngine(Engine other) {
        return new SweepSpec(name, seed, repetitions, testSplit, other, dataParallel, checkpoints, grids);
    }

    /** The same sweep with other runs trained data-parallel (not part of a run's identity either). */
    public SweepSpec withDataParallel(DataParallel other) {
        return new SweepSpec(name, seed, repetitions, testSplit, engine, other, checkpoints, grids);
    }

    /** The same sweep with other checkpoint settings (they are not part of a run's identity either). */
    public SweepSpec withCheckpoints(CheckpointSettings other) {
        return new SweepSpec(name, seed, repetitions, testSplit, engine, dataParallel, other, grids);
    }
}
