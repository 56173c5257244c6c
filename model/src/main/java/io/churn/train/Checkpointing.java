package io.churn.train;

import java.io.Serializable;

/** Whether and how often a run saves checkpoints: after every {@code everyEpochs} epochs, to {@code store}. */
public record Checkpointing(CheckpointStore store, int everyEpochs) implements Serializable {

    /** No checkpoints: a run always starts from scratch. */
    public static final Checkpointing NONE = new Checkpointing(null, 0);

    public Checkpointing {
        if ((store == null) != (everyEpochs == 0) || everyEpochs < 0) {
            throw new IllegalArgumentException("checkpoints need a store and a positive number of epochs between them");
        }
    }

    public boolean enabled() {
        return store != null;
    }
}
