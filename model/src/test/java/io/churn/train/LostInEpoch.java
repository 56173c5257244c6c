package io.churn.train;

import java.io.IOException;

/**
 * For fault tests: a checkpoint store whose saves fail from epoch {@code epoch} on, as a task lost
 * while saving there leaves it (the checkpoints before, none after).
 */
public record LostInEpoch(CheckpointStore store, int epoch) implements CheckpointStore {

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        if (checkpoint.epochs() >= epoch) {
            throw new IOException("injected fault: task lost before saving the checkpoint after epoch "
                    + checkpoint.epochs());
        }
        store.save(checkpoint);
    }

    @Override
    public Checkpoint load(String runId) throws IOException {
        return store.load(runId);
    }

    @Override
    public void remove(String runId) throws IOException {
        store.remove(runId);
    }
}
