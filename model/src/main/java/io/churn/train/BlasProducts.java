package io.churn.train;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * A layer's products as OpenBLAS {@code sgemm} calls on native copies of the operands (the
 * OpenBLAS that ND4J already loads, through JavaCPP; {@code FloatPointer} arguments, which JavaCPP
 * passes without copying, where its {@code float[]} overloads would copy every array on every
 * call); bias gradients as {@code sgemv} with a vector of ones. The bias is added on the Java side, where the activation follows.
 */
final class BlasProducts implements LayerProducts {

    static {
        singleThreaded();
    }

    private final int fanIn;
    private final int fanOut;

    BlasProducts(int fanIn, int fanOut) {
        this.fanIn = fanIn;
        this.fanOut = fanOut;
    }

    /**
     * Sets the process's OpenBLAS to one thread: an engine trains on the one core its Spark task
     * holds. Returns the thread count OpenBLAS then reports.
     */
    static int singleThreaded() {
        openblas_nolapack.blas_set_num_threads(1);
        return threads();
    }

    /** The thread count OpenBLAS reports. */
    static int threads() {
        return openblas_nolapack.blas_get_num_threads();
    }

    @Override
    public void forward(SharedFloats w, float[] b, SharedFloats x, SharedFloats z, int rows) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, fanOut, rows, fanIn, 1f, w.nativeRead(), fanIn,
                x.nativeRead(), rows, 0f, z.nativeWrite(rows), rows);
        // the copy back to Java and the bias in one pass over each row
        z.openRows(rows);
        for (int j = 0; j < fanOut; j++) {
            float bj = b[j];
            float[] zj = z.pullRow(j);
            for (int r = 0; r < rows; r++) zj[r] += bj;
        }
        z.closeRows(false);
    }

    @Override
    public void weightGradient(SharedFloats dz, SharedFloats x, SharedFloats gw, int rows) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, fanOut, fanIn, rows, 1f, dz.nativeRead(), rows,
                x.nativeRead(), rows, 0f, gw.nativeWrite(fanOut * fanIn), fanIn);
    }

    @Override
    public void biasGradient(SharedFloats dz, SharedFloats ones, SharedFloats gb, int rows) {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, fanOut, rows, 1f, dz.nativeRead(), rows, ones.nativeRead(), 1, 0f,
                gb.nativeWrite(fanOut), 1);
    }

    @Override
    public void inputGradient(SharedFloats w, SharedFloats dz, SharedFloats dx, int rows) {
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, fanIn, rows, fanOut, 1f, w.nativeRead(), fanIn,
                dz.nativeRead(), rows, 0f, dx.nativeWrite(rows), rows);
    }
}
