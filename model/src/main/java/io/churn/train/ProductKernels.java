package io.churn.train;

/**
 * Where the fused engine runs a layer's matrix products: JVM loops, OpenBLAS, or by the layer's
 * shape. The choice by shape is a fixed rule measured once (below), not a timing at run time: the
 * two kernels round differently, and a run must train the same way on every re-run.
 */
public enum ProductKernels {
    /** Every layer in JVM loops. */
    JVM_LOOPS,
    /** Every layer in OpenBLAS, on feature-major activations. */
    BLAS,
    /** Every layer in OpenBLAS, on sample-major activations ({@link SampleMajorBlasProducts}). */
    SAMPLE_MAJOR_BLAS,
    /**
     * Networks with a hidden layer of {@link #SAMPLE_MAJOR_MIN_WIDTH} units or more, trained on
     * minibatches of {@link #SAMPLE_MAJOR_MIN_BATCH} rows or more, as {@link #SAMPLE_MAJOR_BLAS};
     * in others each product where it was measured faster for the
     * layer's shape and the run's batch size: see {@link #BLAS_MIN_INPUTS} and
     * {@link #BLAS_MIN_GRADIENT_INPUTS_BY_BATCH}.
     */
    BY_SHAPE;

    /**
     * The width from which a network runs every layer sample-major in OpenBLAS: there the wide
     * layers' products, which take almost all of a step, run faster than feature-major, and the
     * narrow first and output layers cost little either way. Measured one thread, Adam, 26 inputs,
     * 4 classes, each network timed in turns on both layouts (µs per step, feature-major /
     * sample-major), batch 256: depth 3 widths 113 654/659, 240 2,604/2,278, 496 9,172/8,449,
     * 1008 35,096/31,423; depth 6 widths 86 1,186/1,244, 252 11,630/8,911. Batch 32: widths 166
     * 259/238, 240 385/415, 496 1,986/1,916 — no gain worth a rule, so small minibatches stay
     * feature-major ({@link #SAMPLE_MAJOR_MIN_BATCH}).
     */
    public static final int SAMPLE_MAJOR_MIN_WIDTH = 160;
    public static final int SAMPLE_MAJOR_MIN_BATCH = 128;

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

    /**
     * Narrower layers (an output layer, typically) still take their weight gradient from OpenBLAS
     * when they have 2+ outputs and {@code inputs x batch} reaches this: the JVM loops copy the
     * inputs row-major first, a cost that grows with both. Measured alone, with the caches holding
     * other data as in a training step (µs, JVM / BLAS): batch 256: 1008x4 554/386, 113x4 83/43,
     * 16x4 18/9.6, 8x4 11/7.7, 7x7 12.9/14.0, 1008x1 183/449; batch 32: 1008x4 89/88, 240x4 20/23,
     * 113x4 15/14, 64x4 8.2/12.7, 32x4 6.4/22.
     */
    public static final int BLAS_MIN_GRADIENT_INPUTS_BY_BATCH = 4096;

    /**
     * Whether a network whose layers have these fan-outs (the output layer last), trained on
     * minibatches of {@code batch} rows, runs sample-major, every layer's products from
     * {@link #products} then {@link SampleMajorBlasProducts}.
     */
    boolean sampleMajor(int[] fanOut, int batch) {
        return switch (this) {
            case SAMPLE_MAJOR_BLAS -> true;
            case BY_SHAPE -> {
                int widest = 0;
                for (int l = 0; l < fanOut.length - 1; l++) widest = Math.max(widest, fanOut[l]);
                yield widest >= SAMPLE_MAJOR_MIN_WIDTH && batch >= SAMPLE_MAJOR_MIN_BATCH;
            }
            case JVM_LOOPS, BLAS -> false;
        };
    }

    /** A layer's products in a feature-major network, or in a {@link #sampleMajor} one. */
    LayerProducts products(int fanIn, int fanOut, int batch, boolean sampleMajor) {
        if (sampleMajor) {
            return new SampleMajorBlasProducts(fanIn, fanOut);
        }
        return switch (this) {
            case JVM_LOOPS -> new JvmProducts(fanIn, fanOut);
            case BLAS, SAMPLE_MAJOR_BLAS -> new BlasProducts(fanIn, fanOut);
            case BY_SHAPE -> {
                if (fanIn >= BLAS_MIN_INPUTS && fanOut >= BLAS_MIN_OUTPUTS) {
                    yield new BlasProducts(fanIn, fanOut);
                }
                boolean blasGradient = fanOut >= 2 && (long) fanIn * batch >= BLAS_MIN_GRADIENT_INPUTS_BY_BATCH;
                yield blasGradient ? new Split(new JvmProducts(fanIn, fanOut), new BlasProducts(fanIn, fanOut))
                        : new JvmProducts(fanIn, fanOut);
            }
        };
    }

    /** Forward and input-gradient products on one kernel, the weight and bias gradients on another. */
    record Split(LayerProducts activations, LayerProducts weights) implements LayerProducts {
        @Override
        public void forward(SharedFloats w, float[] b, SharedFloats x, SharedFloats z, int rows) {
            activations.forward(w, b, x, z, rows);
        }

        @Override
        public void weightGradient(SharedFloats dz, SharedFloats x, SharedFloats gw, int rows) {
            weights.weightGradient(dz, x, gw, rows);
        }

        @Override
        public void biasGradient(SharedFloats dz, SharedFloats ones, SharedFloats gb, int rows) {
            weights.biasGradient(dz, ones, gb, rows);
        }

        @Override
        public void inputGradient(SharedFloats w, SharedFloats dz, SharedFloats dx, int rows) {
            activations.inputGradient(w, dz, dx, rows);
        }
    }
}
