package io.churn.train;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where runs' checkpoints are kept, one per run, named by run id. The Spark jobs keep them on any
 * Hadoop file system.
 */
public interface CheckpointStore extends Serializable {

    /**
     * Saves {@code checkpoint} in place of its run's previous one. A crash while saving leaves the
     * previous checkpoint, or none, never a partial one under the run's name.
     */
    void save(Checkpoint checkpoint) throws IOException;

    /**
     * The run's last checkpoint, or null when it has none. Throws
     * {@link Checkpoint.CorruptCheckpointException} for a file that is not a whole checkpoint.
     */
    Checkpoint load(String runId) throws IOException;

    /** Deletes the run's checkpoint, if any. */
    void remove(String runId) throws IOException;
}
