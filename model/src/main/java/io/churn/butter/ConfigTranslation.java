package io.churn.butter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.churn.spec.Names;
import io.churn.spec.SpecParser;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One BUTTER config read into a Churn spec: the run-level keys (mode, name, seed, reps, run_config,
 * the held-out split, checkpoints, epoch_scale) here, the swept lists by {@link SweepAxes}, the Keras
 * objects by {@link OptimizerChoice} and {@link KerasObjects}. Every problem goes to {@code problems},
 * each naming BUTTER's key.
 */
final class ConfigTranslation {

    private static final List<String> RUN_CONFIG_KEYS = List.of("epochs", "batch_size", "shuffle", "validation_split",
            "verbose");
    private static final String SHUFFLED_SPLIT = "shuffled_train_test_split";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode config;
    private final List<String> problems;
    private final SweepAxes axes;

    ConfigTranslation(JsonNode config, List<String> problems) {
        this.config = config;
        this.problems = problems;
        this.axes = new SweepAxes(config, problems);
    }

    /** The spec of a config read from {@code source}. */
    ObjectNode spec(String source) {
        mode();
        ObjectNode spec = NODES.objectNode();
        spec.put("name", name(source));
        spec.put("description", "translated from the BUTTER aspect_test config " + source);
        spec.put("seed", seed());
        spec.put("repetitions", whole("reps", ButterDefaults.REPS, 1));
        JsonNode runConfig = runConfig();
        spec.put("test_split", testSplit(runConfig));
        checkpoints(spec);

        ObjectNode grid = spec.putObject("grid");
        grid.set("dataset", strings(axes.datasets()));
        grid.set("shape", strings(axes.shapes()));
        grid.set("depth", array(axes.depths(), NODES::numberNode));
        List<Long> budgets = axes.budgets();
        JsonNode scale = config.get("epoch_scale");
        boolean scaled = scale != null && !scale.isNull() && !"none".equals(scale.asText(null));
        if (!scaled) {
            grid.set("size", array(budgets, NODES::numberNode));
        }
        OptimizerChoice optimizer = OptimizerChoice.fromKeras(config.get("optimizer"), problems);
        grid.set("learning_rate", array(axes.learningRates(optimizer.learningRate()), NODES::numberNode));
        grid.putArray("batch_size").add(runValue(runConfig, "batch_size", ButterDefaults.BATCH_SIZE));
        grid.set("label_noise", array(axes.labelNoises(), NODES::numberNode));
        grid.set("kernel_regularizer", strings(axes.regularizers("kernel_regularizer")));
        grid.set("bias_regularizer", strings(axes.regularizers("bias_regularizer")));
        activityRegularizer();
        grid.putArray("optimizer").add(optimizer.optimizer().specName());
        grid.putArray("momentum").add(optimizer.momentum());
        grid.putArray("activation").add(
                KerasObjects.activation(config.get("activation"), config.get("input_activation"), problems).specName());
        grid.putArray("early_stopping_patience").add(
                KerasObjects.earlyStoppingPatience(config.get("early_stopping"), problems));
        int epochs = runValue(runConfig, "epochs", ButterDefaults.EPOCHS);
        if (!scaled) {
            grid.putArray("epochs").add(epochs);
        } else {
            ArrayNode grids = spec.putArray("grids");
            for (long budget : budgets) {
                ObjectNode one = grids.addObject();
                one.putArray("size").add(budget);
                one.putArray("epochs").add(scaledEpochs(scale, budget));
            }
        }
        return spec;
    }

    private void mode() {
        JsonNode mode = config.get("mode");
        if (mode == null || "direct".equals(mode.asText(null))) {
            return;
        }
        String why = switch (mode.asText("")) {
            case "list" -> "it prints single-run configs for BUTTER's job queue; Churn plans and runs the sweep"
                    + " itself (--dry-run prints its plan)";
            case "single" -> "it runs one already unpacked run; give the sweep's lists (datasets, budgets, ...)"
                    + " with mode direct";
            default -> "not a BUTTER mode";
        };
        problems.add("mode: " + mode + " cannot be mapped: " + why + "; only 'direct' is");
    }

    private String name(String source) {
        JsonNode name = config.get("name");
        if (name == null) {
            return ButterConfig.nameOf(source);
        }
        if (!name.isTextual() || !Names.allowed(name.asText())) {
            problems.add("name: " + name + " is not allowed; use " + Names.RULE);
            return ButterConfig.nameOf(source);
        }
        return name.asText();
    }

    /** BUTTER's None drew a random seed for each run; Churn derives every run's seed from one, 0 by default. */
    private long seed() {
        JsonNode seed = config.get("seed");
        if (seed == null || seed.isNull()) {
            return 0;
        }
        if (!seed.isIntegralNumber() || !seed.canConvertToLong() || seed.asLong() < 0) {
            problems.add("seed: " + seed + " is not allowed; use None or a whole number >= 0");
            return 0;
        }
        return seed.asLong();
    }

    private int whole(String key, int dflt, int min) {
        JsonNode v = config.get(key);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min) {
            problems.add(key + ": " + v + " is not allowed; use a whole number >= " + min);
            return dflt;
        }
        return v.asInt();
    }

    private JsonNode runConfig() {
        JsonNode run = config.get("run_config");
        if (run == null) {
            return NODES.objectNode();
        }
        if (!run.isObject()) {
            problems.add("run_config: " + run + " is not a dict of " + String.join(", ", RUN_CONFIG_KEYS));
            return NODES.objectNode();
        }
        for (Iterator<String> it = run.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!RUN_CONFIG_KEYS.contains(key)) {
                problems.add("run_config." + key + ": not a key of BUTTER's run_config that Churn can map; those are "
                        + String.join(", ", RUN_CONFIG_KEYS) + " (verbose is ignored)");
            }
        }
        JsonNode shuffle = run.get("shuffle");
        if (shuffle != null && !(shuffle.isBoolean() && shuffle.asBoolean())) {
            problems.add("run_config.shuffle: " + shuffle + " cannot be mapped: Churn shuffles the training rows"
                    + " every epoch (seeded), as Keras' fit does with shuffle True");
        }
        return run;
    }

    /** {@code run_config.epochs} or {@code run_config.batch_size}, checked by Churn's rule for the grid key. */
    private int runValue(JsonNode run, String key, int dflt) {
        JsonNode v = run.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return (Integer) SpecParser.element(key, v);
        } catch (IllegalArgumentException e) {
            problems.add("run_config." + key + ": " + e.getMessage());
            return dflt;
        }
    }

    /**
     * The share held out: BUTTER's first code held out {@code run_config.validation_split} (it was
     * the "validation" data), its later tasks {@code test_split}.
     */
    private double testSplit(JsonNode run) {
        for (String key : List.of("test_split_method", "validation_split_method")) {
            JsonNode method = config.get(key);
            if (method != null && !SHUFFLED_SPLIT.equals(method.asText(null))) {
                problems.add(key + ": " + method + " cannot be mapped: Churn always holds out a seeded shuffled"
                        + " split ('" + SHUFFLED_SPLIT + "')");
            }
        }
        Double test = split(config.get("test_split"), "test_split");
        Double validation = split(run.get("validation_split"), "run_config.validation_split");
        if (test != null && validation != null && !test.equals(validation)) {
            problems.add("test_split and run_config.validation_split: " + test + " and " + validation
                    + " both name the share held out (BUTTER's tasks used test_split, its first code"
                    + " validation_split); give one");
        }
        return test != null ? test : validation != null ? validation : ButterDefaults.TEST_SPLIT;
    }

    private Double split(JsonNode v, String key) {
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || !(v.asDouble() > 0 && v.asDouble() < 1)) {
            problems.add(key + ": " + v + " is not allowed; Churn always holds out a test split: use a number"
                    + " strictly between 0 and 1");
            return null;
        }
        return v.asDouble();
    }

    private void checkpoints(ObjectNode spec) {
        Integer every = null;
        for (String key : List.of("checkpoint_epochs", "save_every_epochs")) {
            JsonNode v = config.get(key);
            boolean off = v == null || v.isNull() || key.equals("save_every_epochs") && v.isIntegralNumber()
                    && v.asLong() == 0; // the task's "no checkpoints"
            if (off) {
                continue;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
                problems.add(key + ": " + v + " is not allowed; use a whole number of epochs >= 1");
            } else if (every != null && every != v.asInt()) {
                problems.add("save_every_epochs: " + v + " differs from checkpoint_epochs " + every
                        + "; both say how often to checkpoint; give one");
            } else {
                every = v.asInt();
            }
        }
        if (every != null) {
            spec.put("checkpoint_epochs", every);
        }
        JsonNode dir = config.get("checkpoint_dir");
        if (dir != null) {
            if (dir.isTextual() && !dir.asText().isBlank()) {
                spec.put("checkpoint_dir", dir.asText());
            } else {
                problems.add("checkpoint_dir: " + dir + " is not a folder; use a path or Hadoop URI");
            }
        }
    }

    private void activityRegularizer() {
        JsonNode v = config.get("activity_regularizer");
        if (v != null && !v.isNull() && !"none".equals(v.asText(null))) {
            problems.add("activity_regularizer: " + v + " cannot be mapped: Churn has no activity regularization"
                    + " (a penalty on the layers' outputs); its kernel_regularizer and bias_regularizer are");
        }
    }

    private int scaledEpochs(JsonNode scale, long budget) {
        // BUTTER: epochs = ceil(exp(m * ln(budget) + b))
        JsonNode m = scale.get("m");
        JsonNode b = scale.get("b");
        Set<String> keys = new HashSet<>();
        scale.fieldNames().forEachRemaining(keys::add);
        if (!scale.isObject() || m == null || b == null || !m.isNumber() || !b.isNumber()
                || !Set.of("m", "b").containsAll(keys)) {
            String problem = "epoch_scale: " + scale + " is not allowed; use 'none' or {'m': SLOPE, 'b': INTERCEPT}"
                    + " (epochs = ceil(exp(m * ln(budget) + b)))";
            if (!problems.contains(problem)) problems.add(problem);
            return 1;
        }
        double epochs = Math.ceil(Math.exp(m.asDouble() * Math.log(budget) + b.asDouble()));
        if (!(epochs >= 1 && epochs <= 1_000_000)) {
            problems.add("epoch_scale: gives " + epochs + " epochs for budget " + budget + "; Churn runs 1 to 1000000");
            return 1;
        }
        return (int) epochs;
    }

    private static ArrayNode strings(List<String> values) {
        return array(values, NODES::textNode);
    }

    private static <T> ArrayNode array(List<T> values, Function<T, JsonNode> node) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(v -> a.add(node.apply(v)));
        return a;
    }
}
