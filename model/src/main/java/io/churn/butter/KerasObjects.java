package io.churn.butter;

import com.fasterxml.jackson.databind.JsonNode;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Keras objects a BUTTER config names, read as Churn's values: regularizers, activations and
 * {@code EarlyStopping}'s arguments ({@link OptimizerChoice} reads the optimizer).
 */
final class KerasObjects {

    /** Keras' EarlyStopping arguments; restore_best_weights and verbose change nothing Churn records. */
    private static final List<String> EARLY_STOPPING_KEYS = List.of("patience", "monitor", "min_delta", "mode",
            "baseline", "restore_best_weights", "verbose", "start_from_epoch");

    private KerasObjects() {
    }

    /**
     * A Keras regularizer as Keras serializes it ({@code {'class_name': 'L2', 'config': {'l2': 0.01}}})
     * or as BUTTER's tasks wrote it ({@code {'type': 'l2', 'l2': 0.01}}); None or 'none' is none.
     */
    static KernelRegularizer regularizer(JsonNode v) {
        if (v.isNull() || "none".equals(v.asText(null))) {
            return KernelRegularizer.NONE;
        }
        String syntax = "use None, {'class_name': 'L1'|'L2'|'L1L2', 'config': {'l1': RATE, 'l2': RATE}} or"
                + " {'type': 'l1'|'l2'|'l1l2', 'l1': RATE, 'l2': RATE}";
        if (!v.isObject()) {
            throw new IllegalArgumentException(v + " is not a regularizer; " + syntax);
        }
        JsonNode kind = v.has("class_name") ? v.get("class_name") : v.get("type");
        JsonNode rates = v.has("class_name") ? v.get("config") : v;
        if (kind == null || !kind.isTextual() || rates != null && !rates.isObject()) {
            throw new IllegalArgumentException(v + " is not a regularizer; " + syntax);
        }
        String name = kind.asText().toLowerCase(Locale.ROOT).replace("_", "");
        // Keras' defaults: L1(0.01), L2(0.01), L1L2(0, 0)
        double l1Default = name.equals("l1") ? 0.01 : 0.0;
        double l2Default = name.equals("l2") ? 0.01 : 0.0;
        if (!Set.of("l1", "l2", "l1l2").contains(name)) {
            throw new IllegalArgumentException(kind + " cannot be mapped: Churn has L1, L2 and L1L2 penalties");
        }
        double l1 = rate(rates, "l1", l1Default, !name.equals("l2"));
        double l2 = rate(rates, "l2", l2Default, !name.equals("l1"));
        if (rates != null) {
            Set<String> allowed = Set.of("l1", "l2", "type");
            List<String> extra = new ArrayList<>();
            rates.fieldNames().forEachRemaining(k -> {
                if (!allowed.contains(k)) extra.add(k);
            });
            if (!extra.isEmpty()) {
                throw new IllegalArgumentException(v + " has " + String.join(", ", extra)
                        + ", which a Keras regularizer does not take");
            }
        }
        return new KernelRegularizer(l1, 2 * l2); // Keras' L2 penalty is twice DL4J's for one rate
    }

    private static double rate(JsonNode rates, String key, double dflt, boolean allowed) {
        JsonNode r = rates == null ? null : rates.get(key);
        if (r == null) {
            return dflt;
        }
        if (!allowed || !r.isNumber() || !(r.asDouble() >= 0) || Double.isInfinite(r.asDouble())) {
            throw new IllegalArgumentException(key + " " + r + " is not allowed here; use a rate >= 0 of the"
                    + " regularizer's own kind");
        }
        return r.asDouble();
    }

    /**
     * The hidden layers' activation from BUTTER's {@code activation} and {@code input_activation}
     * (each null when absent), ReLU by default; the first layer must use the same one.
     */
    static ActivationFunction activation(JsonNode activation, JsonNode input, List<String> problems) {
        ActivationFunction hidden = ActivationFunction.RELU;
        if (activation != null) {
            try {
                hidden = activationOf(activation);
            } catch (IllegalArgumentException e) {
                problems.add("activation: " + e.getMessage());
            }
        }
        if (input != null) {
            try {
                if (activationOf(input) != hidden) {
                    problems.add("input_activation: " + input + " differs from activation '" + hidden.specName()
                            + "'; Churn's first layer uses the hidden layers' activation");
                }
            } catch (IllegalArgumentException e) {
                problems.add("input_activation: " + e.getMessage());
            }
        }
        return hidden;
    }

    private static ActivationFunction activationOf(JsonNode v) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException(v + " is not a Keras activation name");
        }
        if (v.asText().equals("leaky_relu")) {
            // Keras' slope is 0.2 (0.3 for its layer), Churn's engines' 0.01
            throw new IllegalArgumentException("'leaky_relu' cannot be mapped: Keras' negative slope (0.2) is not"
                    + " Churn's (0.01)");
        }
        return ActivationFunction.fromSpecName(v.asText());
    }

    /**
     * Keras' {@code EarlyStopping} arguments (BUTTER's {@code early_stopping}, null when absent) as
     * Churn's patience: both stop once {@code patience} epochs in a row bring no lower test (BUTTER's
     * "validation") loss. Keras' patience 0 stops differently across TensorFlow versions, so it is refused.
     */
    static int earlyStoppingPatience(JsonNode v, List<String> problems) {
        if (v == null || v.isNull() || v.isBoolean() && !v.asBoolean() || "none".equals(v.asText(null))) {
            return 0;
        }
        if (!v.isObject()) {
            problems.add("early_stopping: " + v + " is not allowed; use None or a dict of Keras' EarlyStopping"
                    + " arguments, e.g. {'patience': 10}");
            return 0;
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!EARLY_STOPPING_KEYS.contains(key)) {
                problems.add("early_stopping." + key + ": not an EarlyStopping argument Churn can map; those are "
                        + String.join(", ", EARLY_STOPPING_KEYS));
            }
        }
        requireValue(v, "monitor", "val_loss", "Churn's early stopping watches the test loss (Keras' val_loss)",
                problems);
        requireValue(v, "min_delta", 0, "Churn counts any lower test loss as better", problems);
        requireValue(v, "baseline", null, "Churn starts from the first epoch's test loss", problems);
        requireValue(v, "start_from_epoch", 0, "Churn watches from the first epoch", problems);
        JsonNode mode = v.get("mode");
        if (mode != null && !"auto".equals(mode.asText(null)) && !"min".equals(mode.asText(null))) {
            problems.add("early_stopping.mode: " + mode + " cannot be mapped: a loss improves downwards ('min')");
        }
        JsonNode patience = v.get("patience");
        if (patience == null || !patience.isIntegralNumber() || patience.asLong() < 1
                || patience.asLong() > 1_000_000) {
            problems.add("early_stopping.patience: " + (patience == null ? "missing (Keras' default 0)" : patience)
                    + " cannot be mapped: Keras' patience 0 stops after different epochs in different TensorFlow"
                    + " versions; use a whole number >= 1");
            return 0;
        }
        return patience.asInt();
    }

    /** A problem unless EarlyStopping's {@code key}, where given, has the {@code only} value Churn honours. */
    private static void requireValue(JsonNode dict, String key, Object only, String why, List<String> problems) {
        JsonNode v = dict.get(key);
        if (v == null) {
            return;
        }
        boolean same = only == null ? v.isNull() || "none".equals(v.asText(null))
                : only instanceof String s ? s.equals(v.asText(null))
                : v.isNumber() && v.asDouble() == ((Number) only).doubleValue();
        if (!same) {
            problems.add("early_stopping." + key + ": " + v + " cannot be mapped: " + why);
        }
    }
}
