package io.churn.train;

/**
 * What the epoch loop needs of a network, whatever engine trains it: one optimizer step on a
 * minibatch, and predictions. Arrays are row-major: {@code rows} rows of inputs or outputs.
 */
public interface TrainableNetwork extends AutoCloseable {

    /** One training step on {@code rows} rows (the minibatch). */
    void fit(float[] x, float[] y, int rows);

    /** The network's outputs (after the output activation) for {@code rows} rows. */
    float[] predict(float[] x, int rows);

    long numParams();

    @Override
    void close();
}
