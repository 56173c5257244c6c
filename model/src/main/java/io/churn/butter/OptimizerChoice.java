package io.churn.butter;

import com.fasterxml.jackson.databind.JsonNode;
import io.churn.spec.Optimizer;
import io.churn.spec.SpecParser;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An optimizer as Churn's grid keys say it, read from BUTTER's {@code optimizer}: the argument of
 * Keras' {@code optimizers.get}, a name or {@code {'class_name': ..., 'config': {...}}}.
 */
record OptimizerChoice(Optimizer optimizer, double learningRate, double momentum) {

    /**
     * Optimizer settings Churn's engines fix, by Keras' names: a config may state them only with
     * Churn's value (that of {@code io.churn.train.FusedMlp} and DL4J's updaters).
     */
    private static final Map<Optimizer, Map<String, Object>> FIXED = Map.of(
            Optimizer.ADAM, Map.of("beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-8, "amsgrad", false),
            Optimizer.RMSPROP, Map.of("rho", 0.95, "epsilon", 1e-8, "momentum", 0.0, "centered", false),
            Optimizer.SGD, Map.of());
    private static final Map<String, Object> FIXED_FOR_ALL = Map.of("decay", 0.0);
    private static final List<String> UNSET_FOR_ALL = List.of("clipnorm", "clipvalue", "global_clipnorm");

    /** The optimizer BUTTER's {@code optimizer} value {@code v} (null when absent) names; each problem to {@code problems}. */
    static OptimizerChoice fromKeras(JsonNode v, List<String> problems) {
        OptimizerChoice dflt = new OptimizerChoice(Optimizer.ADAM, ButterDefaults.LEARNING_RATE, 0.0);
        if (v == null) {
            return dflt;
        }
        JsonNode className = v.isTextual() ? v : v.get("class_name");
        JsonNode settings = v.isObject() ? v.get("config") : null;
        if (!v.isTextual() && !v.isObject()) {
            problems.add("optimizer: " + v + " is not allowed; use e.g. {'class_name': 'adam', 'config':"
                    + " {'learning_rate': 0.001}}");
            return dflt;
        }
        if (v.isObject()) {
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals("class_name") && !key.equals("config")) {
                    problems.add("optimizer." + key + ": not a key of a Keras optimizer; use class_name and config");
                }
            }
        }
        Optimizer optimizer = Optimizer.ADAM; // BUTTER's default, which its configs merged into
        if (className != null) {
            String name = className.asText("").toLowerCase(Locale.ROOT);
            try {
                optimizer = Optimizer.fromSpecName(name);
            } catch (IllegalArgumentException e) {
                problems.add((v.isTextual() ? "optimizer" : "optimizer.class_name") + ": " + className
                        + " cannot be mapped: Churn trains with " + Optimizer.allowed());
                return dflt;
            }
        }
        if (settings == null || settings.isNull()) {
            return new OptimizerChoice(optimizer, ButterDefaults.LEARNING_RATE, 0.0);
        }
        if (!settings.isObject()) {
            problems.add("optimizer.config: " + settings + " is not a dict of the optimizer's arguments");
            return dflt;
        }
        return fromSettings(optimizer, settings, problems);
    }

    /** The learning rate and momentum of Keras' optimizer {@code config}, every other argument checked. */
    private static OptimizerChoice fromSettings(Optimizer optimizer, JsonNode settings, List<String> problems) {
        double rate = ButterDefaults.LEARNING_RATE;
        double momentum = 0.0;
        Map<String, Object> fixed = new LinkedHashMap<>(FIXED.get(optimizer));
        fixed.putAll(FIXED_FOR_ALL);
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            String where = "optimizer.config." + key;
            try {
                if (key.equals("learning_rate") || key.equals("lr")) {
                    rate = (Double) SpecParser.element("learning_rate", value);
                } else if (key.equals("name")) {
                    continue; // a label Keras gives the optimizer's variables
                } else if (optimizer == Optimizer.SGD && key.equals("momentum")) {
                    momentum = (Double) SpecParser.element("momentum", value);
                } else if (optimizer == Optimizer.SGD && key.equals("nesterov")) {
                    if (!value.isBoolean()) throw new IllegalArgumentException(value + " is not True or False");
                } else if (UNSET_FOR_ALL.contains(key)) {
                    if (!value.isNull()) {
                        problems.add(where + ": " + value + " cannot be mapped: Churn clips no gradients");
                    }
                } else if (fixed.containsKey(key)) {
                    Object only = fixed.get(key);
                    boolean same = only instanceof Boolean b ? value.isBoolean() && value.asBoolean() == b
                            : value.isNumber() && value.asDouble() == ((Number) only).doubleValue();
                    if (!same) {
                        problems.add(where + ": " + value + " cannot be mapped: Churn's " + optimizer.specName()
                                + " uses " + key + " " + (only instanceof Boolean b ? (b ? "True" : "False") : only));
                    }
                } else {
                    problems.add(where + ": not an argument of Keras' " + optimizer.specName() + " that Churn can"
                            + " map; those are learning_rate"
                            + (optimizer == Optimizer.SGD ? ", momentum, nesterov" : "")
                            + (fixed.isEmpty() ? "" : ", " + String.join(", ", fixed.keySet()) + " (Churn's values only)"));
                }
            } catch (IllegalArgumentException | ClassCastException bad) {
                problems.add(where + ": " + bad.getMessage());
            }
        }
        JsonNode nesterov = settings.get("nesterov");
        if (momentum > 0 && !(nesterov != null && nesterov.isBoolean() && nesterov.asBoolean())) {
            problems.add("optimizer.config.nesterov: " + (nesterov == null ? "False (Keras' default)" : nesterov)
                    + " cannot be mapped: Churn's SGD momentum is Nesterov's; set nesterov True, or momentum 0");
        }
        return new OptimizerChoice(optimizer, rate, momentum);
    }
}
