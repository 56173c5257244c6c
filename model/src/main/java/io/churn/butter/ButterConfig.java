package io.churn.butter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Names;
import io.churn.spec.Optimizer;
import io.churn.spec.SpecException;
import io.churn.spec.SpecParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * BUTTER's {@code aspect_test} sweep config (NREL's {@code dmp}: {@code dmp/experiment/aspect_test.py}
 * and the {@code AspectTestTask} that followed it) translated to the Churn sweep spec that trains the
 * same runs. Keys it leaves out get BUTTER's defaults (its {@code default_config}); each key it has
 * maps to Churn's, and one Churn cannot honour is a problem naming it and why.
 *
 * <p>Where BUTTER's versions or its code and docs disagree, the translation follows what the
 * config says: a singular key ({@code dataset}, {@code budget}, ...) is a sweep of one value (BUTTER's
 * generator overwrote it with the plural's default); {@code run_config.epochs} holds unless an
 * {@code epoch_scale} is given (BUTTER's default scale set every run to 3001 epochs); the
 * {@code wide_first_Nx} shapes are N times narrower after the first layer (the 2021 code made 4x,
 * 8x and 16x 2x). Keras' L2 penalty is {@code rate * sum(w^2)} and Churn's (DL4J's)
 * {@code rate / 2 * sum(w^2)}, so an L2 rate is doubled; L1 rates are the same in both. {@code log},
 * {@code jq_uuid} and {@code run_config.verbose} are taken and ignored: where results go and what
 * checkpoints are called are Churn's to decide.
 */
public final class ButterConfig {

    /** Top-level keys only BUTTER configs have: a file with one of them and no {@code grid} is one. */
    private static final List<String> MARKERS = List.of("datasets", "budgets", "topologies", "depths", "reps",
            "run_config", "mode", "learning_rates", "label_noises", "residual_modes");

    /** Every key of BUTTER's config that has a Churn meaning (some only BUTTER's defaults). */
    public static final List<String> KEYS = List.of("mode", "name", "seed", "log", "datasets", "dataset", "budgets",
            "budget", "topologies", "topology", "depths", "depth", "residual_modes", "residual_mode", "learning_rates",
            "label_noises", "label_noise", "reps", "activation", "input_activation", "optimizer", "run_config",
            "test_split", "test_split_method", "validation_split_method", "kernel_regularizer", "bias_regularizer",
            "activity_regularizer", "early_stopping", "epoch_scale", "checkpoint_epochs", "save_every_epochs",
            "checkpoint_dir", "jq_uuid");

    /** Keys of BUTTER's config for features Churn lacks, each with why. */
    private static final Map<String, String> REFUSED = Map.of(
            "tensorboard", "Churn writes no TensorBoard logs; a Churn spec's live_view shows training as it runs",
            "plot_model", "Churn draws no model graphs; `churn layout` prints a network's widths",
            "rep", "a single run's repetition, set by BUTTER's list mode; give reps, the number of repetitions");

    private static final List<String> RUN_CONFIG_KEYS = List.of("epochs", "batch_size", "shuffle", "validation_split",
            "verbose");
    /** Keras' EarlyStopping arguments; restore_best_weights and verbose change nothing Churn records. */
    private static final List<String> EARLY_STOPPING_KEYS = List.of("patience", "monitor", "min_delta", "mode",
            "baseline", "restore_best_weights", "verbose", "start_from_epoch");
    private static final String SHUFFLED_SPLIT = "shuffled_train_test_split";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    // BUTTER's default_config, for the keys a config leaves out
    private static final List<String> DEFAULT_DATASETS = List.of("adult");
    private static final List<String> DEFAULT_TOPOLOGIES = List.of("wide_first_2x");
    private static final List<Long> DEFAULT_BUDGETS = List.of(32L, 64L, 128L, 256L, 512L, 1024L, 2048L, 4096L, 8192L,
            16384L, 32768L, 65536L, 131072L, 262144L, 524288L, 1048576L, 2097152L, 4194304L, 8388608L, 16777216L,
            33554432L);
    private static final List<Integer> DEFAULT_DEPTHS = List.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20);
    private static final int DEFAULT_REPS = 10;
    private static final int DEFAULT_EPOCHS = 3000;
    private static final int DEFAULT_BATCH_SIZE = 256;
    private static final double DEFAULT_TEST_SPLIT = 0.2;
    private static final double DEFAULT_LEARNING_RATE = 0.001;

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

    private ButterConfig() {
    }

    /**
     * The config {@code text} holds when it is a BUTTER one, as JSON or as Python literal text;
     * null when it is not (a Churn spec, or text neither reader takes).
     */
    public static JsonNode recognize(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException notJson) {
            try {
                root = PythonLiteral.parse(text);
            } catch (IllegalArgumentException notPython) {
                return null;
            }
        }
        if (root == null || !root.isObject() || root.has("grid") || root.has("grids")) {
            return null;
        }
        return MARKERS.stream().anyMatch(root::has) ? root : null;
    }

    /**
     * The Churn spec (pretty JSON) of a BUTTER {@code config} (an object) read from {@code source}; a
     * sweep with no {@code name} is named after the file. Throws a {@link SpecException} listing every
     * key it cannot map.
     */
    public static String translate(JsonNode config, String source) {
        List<String> problems = new ArrayList<>();
        ObjectNode spec = new Translation(config, problems).spec(source);
        if (!problems.isEmpty()) {
            throw new SpecException(source + " (a BUTTER aspect_test config)", problems);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec tree always writes", e);
        }
    }

    /** A sweep name from a file's path: its name without extension, other characters made '_'. */
    static String nameOf(String source) {
        String file = source.replace('\\', '/');
        file = file.substring(file.lastIndexOf('/') + 1);
        int dot = file.indexOf('.');
        String stem = (dot > 0 ? file.substring(0, dot) : file).replaceAll("[^A-Za-z0-9_.-]", "_")
                .replaceFirst("^[^A-Za-z0-9]+", "");
        stem = stem.length() > 64 ? stem.substring(0, 64) : stem;
        return Names.allowed(stem) ? stem : "butter";
    }

    /** One config read into a spec; every problem goes to {@code problems}, each naming BUTTER's key. */
    private static final class Translation {
        private final JsonNode config;
        private final List<String> problems;

        Translation(JsonNode config, List<String> problems) {
            this.config = config;
            this.problems = problems;
        }

        ObjectNode spec(String source) {
            for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (REFUSED.containsKey(key)) {
                    problems.add(key + ": " + REFUSED.get(key));
                } else if (!KEYS.contains(key)) {
                    problems.add(key + ": not a key of BUTTER's aspect_test config that Churn can map; those are "
                            + String.join(", ", KEYS));
                }
            }
            mode();
            ObjectNode spec = NODES.objectNode();
            spec.put("name", name(source));
            spec.put("description", "translated from the BUTTER aspect_test config " + source);
            spec.put("seed", seed());
            spec.put("repetitions", whole("reps", DEFAULT_REPS, 1));
            JsonNode runConfig = runConfig();
            spec.put("test_split", testSplit(runConfig));
            checkpoints(spec);

            ObjectNode grid = spec.putObject("grid");
            grid.set("dataset", strings(axis("datasets", "dataset", DEFAULT_DATASETS,
                    v -> (String) SpecParser.element("dataset", v))));
            grid.set("shape", strings(shapes()));
            grid.set("depth", array(axis("depths", "depth", DEFAULT_DEPTHS,
                    v -> (Integer) SpecParser.element("depth", v)), NODES::numberNode));
            List<Long> budgets = axis("budgets", "budget", DEFAULT_BUDGETS, v -> (Long) SpecParser.element("size", v));
            JsonNode scale = config.get("epoch_scale");
            boolean scaled = scale != null && !scale.isNull() && !"none".equals(scale.asText(null));
            if (!scaled) {
                grid.set("size", array(budgets, NODES::numberNode));
            }
            OptimizerChoice optimizer = optimizer();
            List<Double> rates = config.has("learning_rates")
                    ? axis("learning_rates", null, List.of(), v -> (Double) SpecParser.element("learning_rate", v))
                    : List.of(optimizer.learningRate());
            grid.set("learning_rate", array(rates, NODES::numberNode));
            grid.putArray("batch_size").add(runValue(runConfig, "batch_size", DEFAULT_BATCH_SIZE));
            grid.set("label_noise", array(axis("label_noises", "label_noise", List.of(0.0), ButterConfig::labelNoise),
                    NODES::numberNode));
            grid.set("kernel_regularizer", strings(regularizers("kernel_regularizer")));
            grid.set("bias_regularizer", strings(regularizers("bias_regularizer")));
            activityRegularizer();
            grid.putArray("optimizer").add(optimizer.optimizer().specName());
            grid.putArray("momentum").add(optimizer.momentum());
            grid.putArray("activation").add(activation().specName());
            grid.putArray("early_stopping_patience").add(earlyStoppingPatience());
            int epochs = runValue(runConfig, "epochs", DEFAULT_EPOCHS);
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
                return nameOf(source);
            }
            if (!name.isTextual() || !Names.allowed(name.asText())) {
                problems.add("name: " + name + " is not allowed; use " + Names.RULE);
                return nameOf(source);
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
            return test != null ? test : validation != null ? validation : DEFAULT_TEST_SPLIT;
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

        /**
         * Topologies under each residual mode: {@code full} adds skip connections to rectangle and
         * wide_first shapes (Churn's {@code _residual}) and, as BUTTER's generator did, skips the others.
         */
        private List<String> shapes() {
            List<String> topologies = axis("topologies", "topology", DEFAULT_TOPOLOGIES, v -> {
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
                return DEFAULT_TOPOLOGIES;
            }
            return shapes;
        }

        /** One regularizer or a list of them: BUTTER's regularization sweeps listed theirs. */
        private List<String> regularizers(String key) {
            return axis(key, null, List.of(KernelRegularizer.NONE), ButterConfig::regularizer).stream()
                    .map(KernelRegularizer::toString).toList();
        }

        private void activityRegularizer() {
            JsonNode v = config.get("activity_regularizer");
            if (v != null && !v.isNull() && !"none".equals(v.asText(null))) {
                problems.add("activity_regularizer: " + v + " cannot be mapped: Churn has no activity regularization"
                        + " (a penalty on the layers' outputs); its kernel_regularizer and bias_regularizer are");
            }
        }

        private ActivationFunction activation() {
            ActivationFunction hidden = ActivationFunction.RELU;
            JsonNode v = config.get("activation");
            if (v != null) {
                try {
                    hidden = activationOf(v);
                } catch (IllegalArgumentException e) {
                    problems.add("activation: " + e.getMessage());
                }
            }
            JsonNode input = config.get("input_activation");
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
         * Keras' {@code EarlyStopping} arguments as Churn's patience: both stop once {@code patience}
         * epochs in a row bring no lower test (BUTTER's "validation") loss. Keras' patience 0 stops
         * differently across TensorFlow versions, so it is refused.
         */
        private int earlyStoppingPatience() {
            JsonNode v = config.get("early_stopping");
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
            requireValue(v, "monitor", "val_loss", "Churn's early stopping watches the test loss (Keras' val_loss)");
            requireValue(v, "min_delta", 0, "Churn counts any lower test loss as better");
            requireValue(v, "baseline", null, "Churn starts from the first epoch's test loss");
            requireValue(v, "start_from_epoch", 0, "Churn watches from the first epoch");
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

        private void requireValue(JsonNode dict, String key, Object only, String why) {
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

        /** Keras' {@code optimizers.get} argument: a name, or {@code {'class_name': ..., 'config': {...}}}. */
        private OptimizerChoice optimizer() {
            JsonNode v = config.get("optimizer");
            OptimizerChoice dflt = new OptimizerChoice(Optimizer.ADAM, DEFAULT_LEARNING_RATE, 0.0);
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
                return new OptimizerChoice(optimizer, DEFAULT_LEARNING_RATE, 0.0);
            }
            if (!settings.isObject()) {
                problems.add("optimizer.config: " + settings + " is not a dict of the optimizer's arguments");
                return dflt;
            }
            double rate = DEFAULT_LEARNING_RATE;
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

        private int scaledEpochs(JsonNode scale, long budget) {
            // BUTTER: epochs = ceil(exp(m * ln(budget) + b))
            JsonNode m = scale.get("m");
            JsonNode b = scale.get("b");
            Set<String> keys = new java.util.HashSet<>();
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
    }

    /** An optimizer as Churn's grid keys say it. */
    private record OptimizerChoice(Optimizer optimizer, double learningRate, double momentum) {
    }

    private static double labelNoise(JsonNode v) {
        if (v.isNull() || "none".equals(v.asText(null))) {
            return 0.0;
        }
        return (Double) SpecParser.element("label_noise", v);
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

    private static ArrayNode strings(List<String> values) {
        return array(values, NODES::textNode);
    }

    private static <T> ArrayNode array(List<T> values, Function<T, JsonNode> node) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(v -> a.add(node.apply(v)));
        return a;
    }
}
