package io.churn.butter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.churn.spec.Names;
import io.churn.spec.SpecException;
import io.churn.spec.SpecParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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
 *
 * <p>This class holds the way in and the config's top-level keys; {@link ConfigTranslation} reads
 * one config into a spec.
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

    /** JSON as specs read it, so a BUTTER config with a key given twice is refused as a Churn spec is. */
    private static final ObjectMapper JSON = SpecParser.JSON;

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
        unknownKeys(config, problems);
        ObjectNode spec = new ConfigTranslation(config, problems).spec(source);
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

    /** A problem for each top-level key of {@code config} outside {@link #KEYS}: why, for a feature Churn lacks. */
    private static void unknownKeys(JsonNode config, List<String> problems) {
        for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (REFUSED.containsKey(key)) {
                problems.add(key + ": " + REFUSED.get(key));
            } else if (!KEYS.contains(key)) {
                problems.add(key + ": not a key of BUTTER's aspect_test config that Churn can map; those are "
                        + String.join(", ", KEYS));
            }
        }
    }
}
