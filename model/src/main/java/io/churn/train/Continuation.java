package io.churn.train;

import io.churn.data.PreparedDataset;
import io.churn.network.Layout;
import java.util.function.Function;

/**
 * How a run goes on from another network's state rather than from scratch or its own checkpoint:
 * a PBT member's generation. Its network is {@code layout} of the dataset; its data split and data
 * order come from {@code splitSeed} (which a population shares, so members are scored on one test
 * split) and {@code orderSeed}; its weights and optimizer state from {@code inherited} (null: fresh
 * weights, seeded by the run); its epochs are numbered from {@code firstEpoch + 1} for listeners, as
 * the job counts them.
 */
public record Continuation(Function<PreparedDataset, Layout> layout, long splitSeed, long orderSeed,
                           Checkpoint inherited, int firstEpoch) {

    /** A run that went on from a {@link Continuation}: its result, and its network's state when it completed (else null). */
    public record Continued(RunResult result, byte[] state) {
    }
}
