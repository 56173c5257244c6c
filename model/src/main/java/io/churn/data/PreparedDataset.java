package io.churn.data;

/**
 * A preprocessed table: {@code rows} rows of {@code nIn} inputs and {@code nOut} targets, stored
 * row-major in flat arrays (the layout ND4J takes without copying). Treat the arrays as read-only:
 * one instance is shared by every run on an executor. {@code sha256} is the digest of the bytes
 * it was read from (see {@link ContentDigest}), null for a table built in memory.
 */
public record PreparedDataset(String name, Task task, int rows, int nIn, int nOut, float[] x, float[] y,
                              String sha256) {

    public PreparedDataset {
        if (x.length != (long) rows * nIn || y.length != (long) rows * nOut) {
            throw new IllegalArgumentException("array sizes do not match " + rows + " rows of " + nIn + " + " + nOut);
        }
    }

    /** This table, known to have been read from bytes with this digest. */
    public PreparedDataset withSha256(String digest) {
        return new PreparedDataset(name, task, rows, nIn, nOut, x, y, digest);
    }
}
