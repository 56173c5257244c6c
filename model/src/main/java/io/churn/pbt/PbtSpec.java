package io.churn.pbt;

import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.LiveView;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated PBT job: one network trained by a population in generations, each member's
 * hyperparameters drawn from {@code space} and moved by exploit and explore between generations.
 * Built by {@link PbtSpecParser}. {@code liveView} is null when the live training view is off.
 */
public record PbtSpec(
        String name,
        long seed,
        String dataset,
        String shape,
        int depth,
        long size,
        Optimizer optimizer,
        ActivationFunction activation,
        double testSplit,
        int population,
        int generations,
        int epochsPerGeneration,
        Metric metric,
        boolean maximize,
        Exploit exploit,
        Explore explore,
        Map<String, Domain> space,
        List<String> ignored,
        LiveView liveView) {

    /** The hyperparameters PBT can change between generations. */
    public static final List<String> MUTABLE = List.of("learning_rate", "batch_size", "momentum", "label_noise", "l1", "l2");
    /** Values of hyperparameters the space leaves out. */
    public static final Map<String, Object> DEFAULTS = Map.of("learning_rate", 0.001, "batch_size", 32L,
            "momentum", 0.0, "label_noise", 0.0, "l1", 0.0, "l2", 0.0);

    /** Who copies whom ({@link ExploitMethod}); {@code fraction} sizes truncation's bottom and top. */
    public record Exploit(ExploitMethod method, double fraction) {
    }

    /** How a copied member's hyperparameters move: resample with a probability, else multiply by a factor. */
    public record Explore(List<Double> perturbFactors, double resampleProbability) {
        public Explore {
            perturbFactors = List.copyOf(perturbFactors);
        }
    }

    public PbtSpec {
        space = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(space));
        ignored = List.copyOf(ignored);
    }

    /**
     * A member's configuration as a run: the spec's network with these hyperparameters for one
     * generation; {@code seed} seeds the member's initial weights.
     */
    public RunSpec runSpec(Map<String, Object> hyperparameters, int member, long seed) {
        Map<String, Object> h = new LinkedHashMap<>(DEFAULTS);
        h.putAll(hyperparameters);
        return new RunSpec(dataset, shape, depth, size, number(h, "learning_rate"),
                (int) Math.round(number(h, "batch_size")), number(h, "label_noise"),
                new KernelRegularizer(number(h, "l1"), number(h, "l2")), KernelRegularizer.NONE, optimizer,
                optimizer == Optimizer.SGD ? number(h, "momentum") : 0, activation, epochsPerGeneration, 0, testSplit,
                member, seed);
    }

    private static double number(Map<String, Object> h, String key) {
        return ((Number) h.get(key)).doubleValue();
    }

    /** The same job with its live view elsewhere (null: off); nothing else changes. */
    public PbtSpec withLiveView(LiveView other) {
        return new PbtSpec(name, seed, dataset, shape, depth, size, optimizer, activation, testSplit, population,
                generations, epochsPerGeneration, metric, maximize, exploit, explore, space, ignored, other);
    }

    /** Whether {@code a} scores better than {@code b}; a non-finite score is worst. */
    public boolean better(double a, double b) {
        if (!Double.isFinite(a)) return false;
        if (!Double.isFinite(b)) return true;
        return maximize ? a > b : a < b;
    }
}
