package io.churn.train;

import java.util.Arrays;

/**
 * A layer's products in plain Java loops that C2 vectorizes: for small layers, where a native call
 * costs more than the arithmetic. Products run as long multiply-adds over the minibatch's rows
 * (four operands per pass, one load and store of the target for four sources); weight gradients
 * of layers with {@value #ROW_MAJOR_GRADIENT_MIN_INPUTS}+ inputs are sums of one outer product per
 * row over a row-major copy of the inputs, so their inner loop runs along a weight row, where a
 * dot product per weight (a float reduction, which C2 does not vectorize) would stay scalar.
 */
final class JvmProducts implements LayerProducts {

    /** Below this many inputs a layer's weight rows are too short to vectorize along; it takes dot products. */
    private static final int ROW_MAJOR_GRADIENT_MIN_INPUTS = 8;

    private final int fanIn;
    private final int fanOut;
    private final float[] accumulator;  // one weight row's gradient
    private float[] rowMajor = new float[0]; // the layer's inputs, [row * fanIn + input]

    JvmProducts(int fanIn, int fanOut) {
        this.fanIn = fanIn;
        this.fanOut = fanOut;
        this.accumulator = new float[fanIn];
    }

    @Override
    public void forward(SharedFloats w, float[] b, SharedFloats x, SharedFloats z, int rows) {
        float[] wv = w.read();
        float[] xv = x.read();
        float[] zv = z.write(fanOut * rows);
        int fin = fanIn;
        for (int j = 0; j < fanOut; j++) {
            int zo = j * rows;
            Arrays.fill(zv, zo, zo + rows, b[j]);
            int wo = j * fin;
            int i = 0;
            for (; i + 3 < fin; i += 4) {
                axpy4(wv[wo + i], wv[wo + i + 1], wv[wo + i + 2], wv[wo + i + 3], xv, i * rows, rows, zv, zo);
            }
            for (; i < fin; i++) {
                axpy(wv[wo + i], xv, i * rows, zv, zo, rows);
            }
        }
    }

    @Override
    public void weightGradient(SharedFloats dz, SharedFloats x, SharedFloats gw, int rows) {
        float[] d = dz.read();
        float[] xv = x.read();
        float[] g = gw.write(fanIn * fanOut);
        int fin = fanIn;
        if (fin < ROW_MAJOR_GRADIENT_MIN_INPUTS) {
            for (int j = 0; j < fanOut; j++) {
                for (int i = 0; i < fin; i++) {
                    g[j * fin + i] = dot(d, j * rows, xv, i * rows, rows);
                }
            }
            return;
        }
        if (rowMajor.length < rows * fin) {
            rowMajor = new float[rows * fin]; // once per capacity: the largest minibatch seen
        }
        float[] t = rowMajor;
        for (int i = 0; i < fin; i++) {
            int xo = i * rows;
            for (int r = 0; r < rows; r++) {
                t[r * fin + i] = xv[xo + r];
            }
        }
        for (int j = 0; j < fanOut; j++) {
            int dzo = j * rows;
            Arrays.fill(accumulator, 0f);
            int r = 0;
            for (; r + 3 < rows; r += 4) {
                axpy4(d[dzo + r], d[dzo + r + 1], d[dzo + r + 2], d[dzo + r + 3], t, r * fin, fin, accumulator, 0);
            }
            for (; r < rows; r++) {
                axpy(d[dzo + r], t, r * fin, accumulator, 0, fin);
            }
            System.arraycopy(accumulator, 0, g, j * fin, fin);
        }
    }

    @Override
    public void inputGradient(SharedFloats w, SharedFloats dz, SharedFloats dx, int rows) {
        float[] wv = w.read();
        float[] d = dz.read();
        float[] p = dx.write(fanIn * rows);
        int fin = fanIn;
        for (int i = 0; i < fin; i++) {
            int po = i * rows;
            Arrays.fill(p, po, po + rows, 0f);
            int j = 0;
            for (; j + 3 < fanOut; j += 4) {
                // the four sources are rows j..j+3 of dz: consecutive stretches of `rows` values
                axpy4(wv[j * fin + i], wv[(j + 1) * fin + i], wv[(j + 2) * fin + i], wv[(j + 3) * fin + i], d,
                        j * rows, rows, p, po);
            }
            for (; j < fanOut; j++) {
                axpy(wv[j * fin + i], d, j * rows, p, po, rows);
            }
        }
    }

    /** {@code t[to + k] += alpha * s[so + k]} for {@code k < n}. */
    private static void axpy(float alpha, float[] s, int so, float[] t, int to, int n) {
        for (int k = 0; k < n; k++) {
            t[to + k] += alpha * s[so + k];
        }
    }

    /**
     * {@code t[to + k] += a0 s[so + k] + a1 s[so + n + k] + a2 s[so + 2n + k] + a3 s[so + 3n + k]}
     * for {@code k < n}: four consecutive stretches of {@code s}, one load and store of the target.
     */
    private static void axpy4(float a0, float a1, float a2, float a3, float[] s, int so, int n, float[] t, int to) {
        int s1 = so + n;
        int s2 = so + 2 * n;
        int s3 = so + 3 * n;
        for (int k = 0; k < n; k++) {
            t[to + k] += a0 * s[so + k] + a1 * s[s1 + k] + a2 * s[s2 + k] + a3 * s[s3 + k];
        }
    }

    /**
     * Reductions keep four partial sums: a single running sum waits on the previous addition at
     * every step, and C2 does not vectorize float reductions.
     */
    private static float dot(float[] u, int uo, float[] v, int vo, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += u[uo + k] * v[vo + k];
            s1 += u[uo + k + 1] * v[vo + k + 1];
            s2 += u[uo + k + 2] * v[vo + k + 2];
            s3 += u[uo + k + 3] * v[vo + k + 3];
        }
        for (; k < n; k++) s0 += u[uo + k] * v[vo + k];
        return (s0 + s1) + (s2 + s3);
    }

    /** The sum of {@code u[uo .. uo + n)}, four partial sums as in {@link #dot}. */
    static float sum(float[] u, int uo, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += u[uo + k];
            s1 += u[uo + k + 1];
            s2 += u[uo + k + 2];
            s3 += u[uo + k + 3];
        }
        for (; k < n; k++) s0 += u[uo + k];
        return (s0 + s1) + (s2 + s3);
    }
}
