package io.churn.train;

/**
 * Where the fused engine runs a layer's matrix products: JVM loops, OpenBLAS, or by the layer's
 * shape. The choice by shape is a fixed rule measured once (below), not a timing at run time: the
 * two kernels round differently, and a run must train the same way on every re-run.
 */
public enum ProductKernels {
    /** Every layer in JVM loops. */
    JVM_LOOPS,
    /** Every layer in OpenBLAS. */
    BLAS,
    /**
     * Layers of at least {@link #BLAS_MIN_INPUTS} inputs and {@link #BLAS_MIN_OUTPUTS} outputs in
     * OpenBLAS, narrower ones in JVM loops.
     */
    BY_SHAPE;

    /**
     * The narrowest layer whose products OpenBLAS runs faster than the JVM loops, copies between
     * Java and native memory included. Measured one thread, one layer's forward, weight-gradient
     * and input-gradient products at batch 32 and 256 (µs, JVM / BLAS, batch 256): 26x4 15.9/17.7,
     * 26x16 36.9/28.6, 32x8 24.2/25.1, 32x32 77.3/50.8, 2x128 53.3/71.9, 4x16 12.2/11.3,
     * 8x1008 1846/672, 1008x4 625/677, 1008x1 381/709, 1008x16 1509/922, 1008x1008 71025/22921.
     * Outputs decide: below 16 a product is a few thin dot products per row, which the JVM loops do
     * without the copies; with fewer than 4 inputs the copies cost more than the arithmetic.
     */
    public static final int BLAS_MIN_INPUTS = 4;
    public static final int BLAS_MIN_OUTPUTS = 16;

    LayerProducts products(int fanIn, int fanOut) {
        boolean blas = switch (this) {
            case JVM_LOOPS -> false;
            case BLAS -> true;
            case BY_SHAPE -> fanIn >= BLAS_MIN_INPUTS && fanOut >= BLAS_MIN_OUTPUTS;
        };
        return blas ? new BlasProducts(fanIn, fanOut) : new JvmProducts(fanIn, fanOut);
    }
}
