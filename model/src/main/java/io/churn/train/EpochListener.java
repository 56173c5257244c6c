package io.churn.train;

import io.churn.network.Layout;
import io.churn.spec.RunSpec;

/**
 * Told of a run's training as it happens: when it starts, each epoch as soon as it is measured,
 * and when it ends (complete, diverged or failed). Both engines call it, sweeps and PBT alike,
 * which is what a live view of training needs. An implementation must not throw: a view that
 * fails must not fail the run.
 */
public interface EpochListener {

    /** Listens to nothing: training with the live view off. */
    EpochListener NONE = (run, epoch, metrics) -> { };

    /** Training starts: the run's network and the engine that trains it (as its result records it). */
    default void started(RunSpec run, Layout layout, String engine) {
    }

    /** {@code epoch} counts from 1. */
    void epoch(RunSpec run, int epoch, EpochMetrics metrics);

    /** The run ended, complete, diverged or failed; told even when it failed before it started. */
    default void ended(RunSpec run) {
    }
}
