package io.churn.bench;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The core's practical peak: a large single-thread {@code sgemm} through OpenBLAS via JavaCPP,
 * the BLAS the engines' matrix products run on. A square product of order n is 2n^3 FLOPs.
 */
public final class SgemmPeak {

    /**
     * The fastest of {@code calls} products of order {@code n}, in GFLOP/s; {@code coresBusy} is the
     * process's CPU time over the wall time of all the calls, about 1 when OpenBLAS ran one thread.
     */
    public record Peak(int n, int calls, double gflops, double coresBusy) {

        /** The share of this peak that {@code gflopsElsewhere} reaches. */
        public double share(double gflopsElsewhere) {
            return gflopsElsewhere / gflops;
        }
    }

    private static final int LEAST_CALLS = 5;
    private static final double LEAST_SECONDS = 1;

    private SgemmPeak() {
    }

    /** Sets OpenBLAS to one thread, then times products of order {@code n} after one untimed call. */
    public static Peak measure(int n) {
        openblas.blas_set_num_threads(1);
        int elements = n * n;
        try (FloatPointer a = random(elements, 1); FloatPointer b = random(elements, 2);
             FloatPointer c = new FloatPointer(elements)) {
            multiply(n, a, b, c);
            double fastest = Double.POSITIVE_INFINITY;
            int calls = 0;
            long cpuStart = processCpuNanos();
            Stopwatch all = new Stopwatch();
            while (calls < LEAST_CALLS || all.seconds() < LEAST_SECONDS) {
                Stopwatch one = new Stopwatch();
                multiply(n, a, b, c);
                fastest = Math.min(fastest, one.seconds());
                calls++;
            }
            double coresBusy = (processCpuNanos() - cpuStart) / 1e9 / all.seconds();
            return new Peak(n, calls, 2.0 * n * n * n / fastest / 1e9, coresBusy);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void multiply(int n, FloatPointer a, FloatPointer b, FloatPointer c) {
        openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, n, n, 1f, a, n,
                b, n, 0f, c, n);
    }

    private static FloatPointer random(int elements, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[elements];
        for (int i = 0; i < elements; i++) values[i] = (float) random.nextDouble(-1, 1);
        return new FloatPointer(values);
    }
}
