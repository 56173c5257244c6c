package io.churn.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What the epoch loop needs of a network, whatever engine trains it: one optimizer step on a
 * minibatch, and predictions. Arrays are row-major: {@code rows} rows of inputs or outputs.
 */
public interface TrainableNetwork extends AutoCloseable {

    /** One training step on {@code rows} rows (the minibatch). */
    void fit(float[] x, float[] y, int rows);

    /**
     * Called after the last minibatch of every epoch, before measuring it. A network trained across
     * a cluster takes the epoch's minibatches in {@link #fit} and trains them all here.
     */
    default void finishEpoch() {
    }

    /** The network's outputs (after the output activation) for {@code rows} rows. */
    float[] predict(float[] x, int rows);

    long numParams();

    /** Writes everything training changes: weights, biases, optimizer state and step count. */
    void writeState(DataOutputStream out) throws IOException;

    /**
     * Continues from a state {@link #writeState} wrote for the same run on the same engine. Throws,
     * leaving the network as it was, when the state does not fit this network.
     */
    void readState(DataInputStream in) throws IOException;

    @Override
    void close();
}
