package io.churn.train;

/**
 * Where the fused engine runs a layer's matrix products: JVM loops, OpenBLAS, or by the layer's
 * shape. The choice by shape is a fixed rule, so a run trains the same way on every re-run.
 */
public enum ProductKernels {
    /** Every layer in JVM loops. */
    JVM_LOOPS,
    /** Every layer in OpenBLAS. */
    BLAS,
    /** Layers of at least {@link #BLAS_MIN_MULTIPLY_ADDS} multiply-adds per product in OpenBLAS, smaller ones in JVM loops. */
    BY_SHAPE;

    /**
     * The smallest product ({@code fanIn x fanOut x batch} multiply-adds) that OpenBLAS runs faster
     * than the JVM loops, one thread, from {@code FusedKernelsBench}.
     */
    public static final long BLAS_MIN_MULTIPLY_ADDS = 100_000;

    LayerProducts products(int fanIn, int fanOut, int batch) {
        boolean blas = switch (this) {
            case JVM_LOOPS -> false;
            case BLAS -> true;
            case BY_SHAPE -> (long) fanIn * fanOut * batch >= BLAS_MIN_MULTIPLY_ADDS;
        };
        return blas ? new BlasProducts(fanIn, fanOut) : new JvmProducts(fanIn, fanOut);
    }
}
