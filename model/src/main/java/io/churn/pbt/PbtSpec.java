package io.churn.pbt;

import io.churn.data.PreparedDataset;
import io.churn.network.Layout;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.LiveView;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import io.churn.train.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated PBT job: one network trained by a population in generations, each member's
 * hyperparameters drawn from {@code space} and moved by exploit and explore between generations.
 * Built by {@link PbtSpecParser}. {@code hiddenWidths} are the hidden layers' explicit widths
 * (CANDLE's {@code dense}; empty: the layout follows from shape, depth and size). {@code mapped}
 * says what each entry of a CANDLE parameter file became (its name to Churn's), {@code ignored}
 * names the entries that cannot apply to a dense network. {@code liveView} is null when the live
 * training view is off.
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
        List<Integer> hiddenWidths,
        Map<String, String> mapped,
        List<String> ignored,
        LiveView liveView) {

    /**
     * The hyperparameters PBT can change between generations; {@code optimizer} and
     * {@code activation} take names, the others numbers.
     */
    public static final List<String> MUTABLE = List.of("learning_rate", "batch_size", "momentum", "label_noise", "l1",
            "l2", "dropout", "optimizer", "activation");
    /** Values of numeric hyperparameters the space leaves out (optimizer and activation: the spec's). */
    public static final Map<String, Object> DEFAULTS = Map.of("learning_rate", 0.001, "batch_size", 32L,
            "momentum", 0.0, "label_noise", 0.0, "l1", 0.0, "l2", 0.0, "dropout", 0.0);
    /**
     * Hyperparameters that go with the weights: a copy takes its donor's, which explore never moves,
     * since the saved state it loads holds that optimizer's moments (another optimizer would read
     * them as its own and diverge).
     */
    public static final List<String> WITH_WEIGHTS = List.of("optimizer");
    /** The words of {@code mode}: a larger score is better, a smaller one is. */
    public static final String MAXIMIZE = "max", MINIMIZE = "min";
    /** The shape name of a network given by explicit widths. */
    public static final String EXPLICIT_SHAPE = "dense";

    /**
     * Who copies whom ({@link ExploitMethod}); {@code fraction} sizes truncation's bottom and top,
     * {@code rounding} turns it into a number of members.
     */
    public record Exploit(ExploitMethod method, double fraction, TruncationRounding rounding) {
        /** How many members truncation replaces in a population of {@code population}. */
        public int truncated(int population) {
            return rounding.count(population, fraction);
        }
    }

    /**
     * How a copied member's hyperparameters move: each is resampled with {@code resampleProbability},
     * else multiplied by one of {@code perturbFactors} (clipped to its range when {@code clip}).
     * {@code hyperparameters}: the ones a copy explores, taken from its donor; it keeps its own
     * others (CANDLE's way). Empty: all of the space, all from the donor.
     */
    public record Explore(List<Double> perturbFactors, double resampleProbability, boolean clip,
                          List<String> hyperparameters) {
        public Explore {
            perturbFactors = List.copyOf(perturbFactors);
            hyperparameters = List.copyOf(hyperparameters);
        }

        /** Whether a copy explores {@code name} (and takes it from its donor). */
        public boolean explores(String name) {
            return hyperparameters.isEmpty() || hyperparameters.contains(name);
        }
    }

    public PbtSpec {
        space = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(space));
        hiddenWidths = List.copyOf(hiddenWidths);
        mapped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mapped));
        ignored = List.copyOf(ignored);
    }

    /**
     * A member's network on {@code data}: the explicit hidden widths, else the layout of the run's
     * shape, depth and size ({@link Trainer#layout}).
     */
    public static Layout layout(RunSpec run, List<Integer> hiddenWidths, PreparedDataset data) {
        if (hiddenWidths.isEmpty()) {
            return Trainer.layout(run, data);
        }
        List<Integer> widths = new ArrayList<>(hiddenWidths);
        widths.add(data.nOut());
        return new Layout(EXPLICIT_SHAPE, widths.size(), data.nIn(), data.nOut(), widths,
                Layout.countParameters(data.nIn(), widths.stream().mapToInt(Integer::intValue).toArray()));
    }

    /**
     * A member's configuration as a run: the spec's network with these hyperparameters for one
     * generation; {@code seed} seeds the member's initial weights and its dropout masks.
     */
    public RunSpec runSpec(Map<String, Object> hyperparameters, int member, long seed) {
        Map<String, Object> h = new LinkedHashMap<>(DEFAULTS);
        h.putAll(hyperparameters);
        Optimizer o = h.containsKey("optimizer") ? Optimizer.fromSpecName((String) h.get("optimizer")) : optimizer;
        ActivationFunction a = h.containsKey("activation")
                ? ActivationFunction.fromSpecName((String) h.get("activation")) : activation;
        return new RunSpec(dataset, shape, depth, size, number(h, "learning_rate"),
                (int) Math.round(number(h, "batch_size")), number(h, "label_noise"),
                new KernelRegularizer(number(h, "l1"), number(h, "l2")), KernelRegularizer.NONE, o,
                o == Optimizer.SGD ? number(h, "momentum") : 0, a, epochsPerGeneration, 0, testSplit, member, seed)
                .withDropout(number(h, "dropout"));
    }

    private static double number(Map<String, Object> h, String key) {
        return ((Number) h.get(key)).doubleValue();
    }

    /** The same job with its live view elsewhere (null: off); nothing else changes. */
    public PbtSpec withLiveView(LiveView other) {
        return new PbtSpec(name, seed, dataset, shape, depth, size, optimizer, activation, testSplit, population,
                generations, epochsPerGeneration, metric, maximize, exploit, explore, space, hiddenWidths, mapped, ignored,
                other);
    }

    /** The spec's word for the direction: {@code max} when maximizing, else {@code min}. */
    public String mode() {
        return maximize ? MAXIMIZE : MINIMIZE;
    }

    /** Whether {@code a} scores better than {@code b}; a non-finite score is worst. */
    public boolean better(double a, double b) {
        return better(maximize, a, b);
    }

    /** Whether {@code a} scores better than {@code b} when {@code maximize} (else minimizing); non-finite is worst. */
    public static boolean better(boolean maximize, double a, double b) {
        if (!Double.isFinite(a)) return false;
        if (!Double.isFinite(b)) return true;
        return maximize ? a > b : a < b;
    }
}
