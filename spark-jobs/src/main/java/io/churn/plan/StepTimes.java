package io.churn.plan;

import io.churn.train.Engine;
import java.util.List;

/**
 * How long a training step takes on each engine, as a function of the network's parameters and the
 * batch: the one throughput model behind a dry run's core-hours. It is seeded with the figures
 * {@code churn bench engines} measures (the table of "Training engines" in the README: one thread,
 * Adam, batch {@value #MEASURED_BATCH}, BUTTER rectangles of depth 3, 26 inputs, 4 classes, on a
 * 2-core AMD EPYC, Zen 5, on OpenBLAS's AVX-512 kernels). When the engines change, run
 * {@code OMP_NUM_THREADS=1 submit/local.sh bench engines} and copy its fused and dl4j columns into
 * {@link #MEASURED}; nothing else needs to change.
 *
 * <p>Between measured sizes the time is interpolated linearly in parameters, beyond the largest it
 * grows in proportion to them (the matrix products decide there), below the smallest it is that
 * one's. The smallest network's time is the engine's per-step overhead, which does not grow with
 * the batch; the rest of a step's time grows in proportion to the batch's rows.
 */
public final class StepTimes {

    /** One measured network: its parameters and each engine's microseconds per step at {@link #MEASURED_BATCH}. */
    public record Measured(long parameters, double fusedMicros, double dl4jMicros) {
        double micros(Engine engine) {
            return switch (engine) {
                case FUSED -> fusedMicros;
                case DL4J -> dl4jMicros;
                case AUTO -> throw new IllegalArgumentException("auto is not an engine that trains: resolve it first");
            };
        }
    }

    /** The batch size of {@link #MEASURED}. */
    public static final int MEASURED_BATCH = 256;

    /** {@code bench engines}, README "Training engines", by parameters ascending. */
    public static final List<Measured> MEASURED = List.of(
            new Measured(277, 25.5, 1_253),
            new Measured(2_052, 38.9, 1_229),
            new Measured(16_389, 202, 1_888),
            new Measured(65_284, 634, 2_870),
            new Measured(261_892, 2_299, 7_109),
            new Measured(1_048_324, 9_591, 21_540));

    private StepTimes() {
    }

    /** Seconds per step of {@code engine} (fused or dl4j) for a network of {@code parameters} at {@code batch} rows. */
    public static double stepSeconds(Engine engine, long parameters, int batch) {
        double overhead = MEASURED.get(0).micros(engine);
        double atMeasuredBatch = microsAtMeasuredBatch(engine, parameters);
        return (overhead + (atMeasuredBatch - overhead) * batch / MEASURED_BATCH) * 1e-6;
    }

    /**
     * Seconds of training of a run: {@code epochs} passes of {@code ceil(trainRows / batch)} steps
     * (what early stopping saves and the per-epoch metrics cost are not counted).
     */
    public static double runSeconds(Engine engine, long parameters, int batch, int trainRows, int epochs) {
        long steps = (long) epochs * ((trainRows + batch - 1) / batch);
        return steps * stepSeconds(engine, parameters, batch);
    }

    private static double microsAtMeasuredBatch(Engine engine, long parameters) {
        Measured first = MEASURED.get(0);
        if (parameters <= first.parameters()) {
            return first.micros(engine);
        }
        for (int i = 1; i < MEASURED.size(); i++) {
            Measured lo = MEASURED.get(i - 1);
            Measured hi = MEASURED.get(i);
            if (parameters <= hi.parameters() || i == MEASURED.size() - 1) {
                double slope = (hi.micros(engine) - lo.micros(engine)) / (hi.parameters() - lo.parameters());
                return lo.micros(engine) + slope * (parameters - lo.parameters());
            }
        }
        throw new IllegalStateException("unreachable: the last segment takes every larger network");
    }
}
