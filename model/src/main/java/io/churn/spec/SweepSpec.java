package io.churn.spec;

import java.io.Serializable;
import io.churn.train.Engine;
import java.util.List;

/**
 * A validated sweep: its runs are the union of its grids' points, each repeated
 * {@code repetitions} times. Built by {@link SpecParser}. {@code liveView} is null when the live
 * training view is off.
 */
public record SweepSpec(String name, long seed, int repetitions, double testSplit, Engine engine,
                        DataParallel dataParallel, CheckpointSettings checkpoints, LiveView liveView,
                        List<Grid> grids) implements Serializable {

    public SweepSpec {
        grids = List.copyOf(grids);
    }

    /** The same sweep trained on another engine (the engine is not part of a run's identity). */
    public SweepSpec withEngine(Engine other) {
        return new SweepSpec(name, seed, repetitions, testSplit, other, dataParallel, checkpoints, liveView, grids);
    }

    /** The same sweep with other runs trained data-parallel (not part of a run's identity either). */
    public SweepSpec withDataParallel(DataParallel other) {
        return new SweepSpec(name, seed, repetitions, testSplit, engine, other, checkpoints, liveView, grids);
    }

    /** The same sweep with other checkpoint settings (they are not part of a run's identity either). */
    public SweepSpec withCheckpoints(CheckpointSettings other) {
        return new SweepSpec(name, seed, repetitions, testSplit, engine, dataParallel, other, liveView, grids);
    }

    /** The same sweep with its live view elsewhere (the live view is not part of a run's identity either). */
    public SweepSpec withLiveView(LiveView other) {
        return new SweepSpec(name, seed, repetitions, testSplit, engine, dataParallel, checkpoints, other, grids);
    }
}
