package io.churn.butter;

import com.fasterxml.jackson.databind.JsonNode;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.SpecParser;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The values a BUTTER config sweeps over, each checked by Churn's rule for its grid key: a key's
 * plural list, its singular as a list of one, else BUTTER's default. Every problem goes to
 * {@code problems}, naming BUTTER's key (and the list index).
 */
final class SweepAxes {
    private final JsonNode config;
    private final List<String> problems;

    SweepAxes(JsonNode config, List<String> problems) {
        this.config = config;
        this.problems = problems;
    }

    List<String> datasets() {
        return axis("datasets", "dataset", ButterDefaults.DATASETS, v -> (String) SpecParser.element("dataset", v));
    }

    List<Integer> depths() {
        return axis("depths", "depth", ButterDefaults.DEPTHS, v -> (Integer) SpecParser.element("depth", v));
    }

    List<Long> budgets() {
        return axis("budgets", "budget", ButterDefaults.BUDGETS, v -> (Long) SpecParser.element("size", v));
    }

    /** {@code learning_rates} where given, else the one rate of the config's optimizer. */
    List<Double> learningRates(double optimizerRate) {
        return config.has("learning_rates")
                ? axis("learning_rates", null, List.of(), v -> (Double) SpecParser.element("learning_rate", v))
                : List.of(optimizerRate);
    }

    List<Double> labelNoises() {
        return axis("label_noises", "label_noise", List.of(0.0), SweepAxes::labelNoise);
    }

    /** One regularizer or a list of them, as Churn's grid writes them: BUTTER's regularization sweeps listed theirs. */
    List<String> regularizers(String key) {
        return axis(key, null, List.of(KernelRegularizer.NONE), KerasObjects::regularizer).stream()
                .map(KernelRegularizer::toString).toList();
    }

    /**
     * Topologies under each residual mode: {@code full} adds skip connections to rectangle and
     * wide_first shapes (Churn's {@code _residual}) and, as BUTTER's generator did, skips the others.
     */
    List<String> shapes() {
        List<String> topologies = axis("topologies", "topology", ButterDefaults.TOPOLOGIES, v -> {
            SpecParser.element("shape", v);
            return v.asText();
        });
        List<String> modes = axis("residual_modes", "residual_mode", List.of("none"), v -> {
            String mode = v.isNull() ? "none" : v.asText("");
            if (!v.isNull() && !v.isTextual() || !mode.equals("none") && !mode.equals("full")) {
                throw new IllegalArgumentException(v + " is not a residual mode; allowed: 'none', 'full'");
            }
            return mode;
        });
        List<String> shapes = new ArrayList<>();
        for (String topology : topologies) {
            for (String mode : modes) {
                String shape = mode.equals("none") || topology.endsWith("_residual") ? topology
                        : topology.equals("rectangle") || topology.startsWith("wide_first") ? topology + "_residual"
                        : null;
                if (shape != null && !shapes.contains(shape)) {
                    shapes.add(shape);
                }
            }
        }
        if (shapes.isEmpty()) {
            problems.add("residual_modes: " + modes + " fits none of the topologies " + topologies
                    + "; BUTTER's full residual mode applies to rectangle and wide_first shapes only");
            return ButterDefaults.TOPOLOGIES;
        }
        return shapes;
    }

    private static double labelNoise(JsonNode v) {
        if (v.isNull() || "none".equals(v.asText(null))) {
            return 0.0;
        }
        return (Double) SpecParser.element("label_noise", v);
    }

    /**
     * The values of a sweep key: the plural's list, the singular as a list of one, else BUTTER's
     * default; each converted by {@code convert}, whose exception message becomes the problem.
     */
    private <T> List<T> axis(String plural, String singular, List<T> dflt, Function<JsonNode, T> convert) {
        JsonNode many = config.get(plural);
        JsonNode one = singular == null ? null : config.get(singular);
        if (many != null && one != null) {
            problems.add(plural + " and " + singular + ": both given; BUTTER's sweep runs " + plural + " and"
                    + " ignores " + singular + "; give one");
            return dflt;
        }
        if (many == null && one == null) {
            return dflt;
        }
        List<JsonNode> items = new ArrayList<>();
        String label = many != null ? plural : singular;
        JsonNode given = many != null ? many : one;
        if (many != null && given.isArray()) {
            given.forEach(items::add);
        } else {
            items.add(given);
        }
        if (items.isEmpty()) {
            problems.add(label + ": the list is empty; give at least one value");
            return dflt;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                out.add(convert.apply(items.get(i)));
            } catch (IllegalArgumentException | ClassCastException e) {
                String at = many != null && given.isArray() ? label + "[" + i + "]" : label;
                problems.add(at + ": " + e.getMessage());
            }
        }
        return out.size() == items.size() ? out : dflt;
    }
}
