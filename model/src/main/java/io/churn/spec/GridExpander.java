package io.churn.spec;

import io.churn.data.DatasetIdentity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Expands a sweep into its runs, in a stable order, with duplicates across grids removed. The runs
 * are {@link SweepRuns}: each distinct experiment is made once, and its repetitions on demand.
 */
public final class GridExpander {

    private GridExpander() {
    }

    /** The runs, each dataset as its spec names it, its content not yet read ({@link DatasetIdentity#named}). */
    public static SweepRuns expand(SweepSpec spec) {
        return expand(spec, DatasetIdentity::named);
    }

    /**
     * The runs, each dataset as {@code datasets} identifies what the spec names: two names of one
     * dataset (a path and a URI of one file) give the same runs, made once.
     */
    public static SweepRuns expand(SweepSpec spec, Function<String, DatasetIdentity> datasets) {
        long seed0 = seedFor(spec.seed(), 0);
        Set<String> seen = new HashSet<>();
        List<List<RunSpec>> byGrid = new ArrayList<>();
        for (Grid g : spec.grids()) {
            List<RunSpec> experiments = new ArrayList<>();
            for (DatasetIdentity dataset : g.dataset().stream().map(datasets).toList())
            for (String shape : g.shape())
            for (int depth : g.depth())
            for (long size : g.size())
            for (double learningRate : g.learningRate())
            for (int batchSize : g.batchSize())
            for (double labelNoise : g.labelNoise())
            for (KernelRegularizer regularizer : g.kernelRegularizer())
            for (KernelRegularizer biasRegularizer : g.biasRegularizer())
            for (Optimizer optimizer : g.optimizer())
            for (double momentum : g.momentum())
            for (ActivationFunction activation : g.activation())
            for (int epochs : g.epochs())
            for (int patience : g.earlyStoppingPatience())
            for (double dropout : g.dropout()) {
                // momentum means nothing to adam or rmsprop: those variants are one run
                double m = optimizer == Optimizer.SGD ? momentum : 0;
                RunSpec run = new RunSpec(dataset, shape, depth, size, learningRate, batchSize, labelNoise,
                        regularizer, biasRegularizer, optimizer, m, activation, epochs, patience, spec.testSplit(), 0,
                        seed0).withDropout(dropout);
                // runs of one repetition differ exactly when their experiments do: compare those
                if (seen.add(run.runId())) {
                    experiments.add(run);
                }
            }
            byGrid.add(experiments);
        }
        long[] seeds = new long[spec.repetitions()];
        for (int repetition = 0; repetition < seeds.length; repetition++) {
            seeds[repetition] = seedFor(spec.seed(), repetition);
        }
        return new SweepRuns(byGrid, seeds);
    }

    /**
     * The seed of every run in a repetition: a SplitMix64 mix of the sweep's seed and the
     * repetition, so runs of one repetition share their data split and repetitions differ.
     */
    public static long seedFor(long sweepSeed, int repetition) {
        long z = sweepSeed + 0x9E3779B97F4A7C15L * (repetition + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        // non-negative and within 53 bits so every JSON reader and SQL bigint keeps it exact
        return z & ((1L << 53) - 1);
    }
}
