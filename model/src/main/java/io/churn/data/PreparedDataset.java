package io.churn.data;

/**
 * A preprocessed table: {@code rows} rows of {@code nIn} inputs and {@code nOut} targets, stored
 * row-major in flat arrays (the layout ND4J takes without copying). Treat the arrays as read-only:
 * one instance is shared by every run on an executor.
 */
public record PreparedDataset(String name, Task task, int rows, int nIn, int nOut, float[] x, float[] y) {

    public PreparedDataset {
        if (x.length != (long) rows * nIn || y.length != (long) rows * nOut) {
            throw new IllegalArgumentException("array sizes do not match " + rows + " rows of " + nIn + " + " + nOut);
        }
    }
}
