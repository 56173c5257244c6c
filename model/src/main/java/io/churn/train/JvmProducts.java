package io.churn.train;

import java.util.Arrays;

/**
 * A layer's products in plain Java loops that C2 vectorizes: for small layers, where a native call
 * costs more than the arithmetic. Products run as long multiply-adds over the minibatch's rows
 * (four operands per pass, one load and store of the target for four sources); weight gradients
 * of layers with {@value #ROW_MAJOR_GRADIENT_MIN_INPUTS}+ inputs are sums of one outer product per
 * row over a row-major copy of the inputs, so their inner loop runs along a weight row, where a
 * dot product per weight (a float reduction, which C2 does not vectorize) would stay scalar. A
 * single-output layer takes dot products all the same: the copy costs more than the one outer
 * product per row saves (a layer of 1,008 inputs and one output, batch 256, all three products:
 * 381 µs by rows, 219 µs by dot products; with 4 outputs the rows win, 625 against 787 µs).
 * Every loop runs over whole arrays from index zero: C2 does not vectorize the same loops at an
 * offset into a shared array.
 */
final class JvmProducts implements LayerProducts {

    /** Below this many inputs a layer's weight rows are too short to vectorize along; it takes dot products. */
    private static final int ROW_MAJOR_GRADIENT_MIN_INPUTS = 8;
    private static final int ROW_MAJOR_GRADIENT_MIN_OUTPUTS = 2;

    private final int fanIn;
    private final int fanOut;
    private final float[] accumulator;       // one weight row's gradient
    private float[][] rowMajor = new float[0][]; // the layer's inputs, [row][input]

    JvmProducts(int fanIn, int fanOut) {
        this.fanIn = fanIn;
        this.fanOut = fanOut;
        this.accumulator = new float[fanIn];
    }

    @Override
    public void forward(SharedFloats w, float[] b, SharedFloats x, SharedFloats z, int rows) {
        float[] wv = w.read()[0];
        float[][] in = x.read();
        float[][] zv = z.write(rows);
        for (int j = 0; j < fanOut; j++) {
            combine(b[j], wv, j * fanIn, 1, in, fanIn, zv[j], rows);
        }
    }

    @Override
    public void weightGradient(SharedFloats dz, SharedFloats x, SharedFloats gw, int rows) {
        float[][] d = dz.read();
        float[][] in = x.read();
        float[] g = gw.write(fanIn * fanOut)[0];
        int fin = fanIn;
        if (fin < ROW_MAJOR_GRADIENT_MIN_INPUTS || fanOut < ROW_MAJOR_GRADIENT_MIN_OUTPUTS) {
            for (int j = 0; j < fanOut; j++) {
                for (int i = 0; i < fin; i++) {
                    g[j * fin + i] = dot(d[j], in[i], rows);
                }
            }
            return;
        }
        if (rowMajor.length < rows) {
            rowMajor = new float[rows][fin]; // once per capacity: the largest minibatch seen
        }
        float[][] t = rowMajor;
        for (int i = 0; i < fin; i++) {
            float[] u = in[i];
            for (int r = 0; r < rows; r++) {
                t[r][i] = u[r];
            }
        }
        for (int j = 0; j < fanOut; j++) {
            float[] dj = d[j];
            Arrays.fill(accumulator, 0f);
            int r = 0;
            for (; r + 3 < rows; r += 4) {
                axpy4(dj[r], t[r], dj[r + 1], t[r + 1], dj[r + 2], t[r + 2], dj[r + 3], t[r + 3], accumulator, fin);
            }
            for (; r < rows; r++) {
                axpy(dj[r], t[r], accumulator, fin);
            }
            System.arraycopy(accumulator, 0, g, j * fin, fin);
        }
    }

    @Override
    public void biasGradient(SharedFloats dz, SharedFloats ones, SharedFloats gb, int rows) {
        float[][] d = dz.read();
        float[] one = ones.read()[0];
        float[] g = gb.write(fanOut)[0];
        for (int j = 0; j < fanOut; j++) {
            g[j] = dot(d[j], one, rows); // the sum, exactly: every product is by 1
        }
    }

    @Override
    public void inputGradient(SharedFloats w, SharedFloats dz, SharedFloats dx, int rows) {
        float[] wv = w.read()[0];
        float[][] d = dz.read();
        float[][] p = dx.write(rows);
        for (int i = 0; i < fanIn; i++) {
            combine(0f, wv, i, fanIn, d, fanOut, p[i], rows);
        }
    }

    /**
     * {@code target = init + sum_k w[wo + k * stride] * sources[k]} over {@code rows} values, four
     * sources per pass.
     */
    private static void combine(float init, float[] w, int wo, int stride, float[][] sources, int count,
                                float[] target, int rows) {
        Arrays.fill(target, 0, rows, init);
        int k = 0;
        for (; k + 3 < count; k += 4) {
            int o = wo + k * stride;
            axpy4(w[o], sources[k], w[o + stride], sources[k + 1], w[o + 2 * stride], sources[k + 2],
                    w[o + 3 * stride], sources[k + 3], target, rows);
        }
        for (; k < count; k++) {
            axpy(w[wo + k * stride], sources[k], target, rows);
        }
    }

    /** {@code target += alpha * source} over the first {@code n} entries. */
    private static void axpy(float alpha, float[] source, float[] target, int n) {
        for (int r = 0; r < n; r++) {
            target[r] += alpha * source[r];
        }
    }

    /** {@code target += a0 s0 + a1 s1 + a2 s2 + a3 s3}: one load and store of the target for four sources. */
    private static void axpy4(float a0, float[] s0, float a1, float[] s1, float a2, float[] s2, float a3, float[] s3,
                              float[] target, int n) {
        for (int r = 0; r < n; r++) {
            target[r] += a0 * s0[r] + a1 * s1[r] + a2 * s2[r] + a3 * s3[r];
        }
    }

    /**
     * Reductions keep eight partial sums: a single running sum waits on the previous addition at
     * every step, and C2 does not vectorize float reductions; eight cover the adder's latency.
     */
    static float dot(float[] u, float[] v, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        int k = 0;
        for (; k + 7 < n; k += 8) {
            s0 += u[k] * v[k];
            s1 += u[k + 1] * v[k + 1];
            s2 += u[k + 2] * v[k + 2];
            s3 += u[k + 3] * v[k + 3];
            s4 += u[k + 4] * v[k + 4];
            s5 += u[k + 5] * v[k + 5];
            s6 += u[k + 6] * v[k + 6];
            s7 += u[k + 7] * v[k + 7];
        }
        for (; k < n; k++) s0 += u[k] * v[k];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
