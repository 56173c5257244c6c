package io.churn.train;

/**
 * The three matrix products of one dense layer on a minibatch of {@code rows} rows. Activations and
 * their gradients are feature-major, {@code units x rows}; weights are {@code fanOut x fanIn},
 * row-major, as one row.
 */
interface LayerProducts {

    /** {@code z = W x + b}. */
    void forward(SharedFloats w, float[] b, SharedFloats x, SharedFloats z, int rows);

    /** {@code gw = dz x^T}. */
    void weightGradient(SharedFloats dz, SharedFloats x, SharedFloats gw, int rows);

    /** {@code gb = dz 1}: the sums of {@code dz}'s rows, {@code ones} a row of at least {@code rows} ones. */
    void biasGradient(SharedFloats dz, SharedFloats ones, SharedFloats gb, int rows);

    /** {@code dx = W^T dz}. */
    void inputGradient(SharedFloats w, SharedFloats dz, SharedFloats dx, int rows);
}
