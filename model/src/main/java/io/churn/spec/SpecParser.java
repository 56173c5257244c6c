package io.churn.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.churn.data.Datasets;
import io.churn.network.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a sweep spec (JSON) and validates all of it before anything runs. Every problem found
 * is reported at once, each naming its key and what is allowed.
 *
 * <pre>{@code
 * { "name": "quickstart", "seed": 42, "repetitions": 2, "test_split": 0.2,
 *   "grid":  { "dataset": ["banana"], "shape": ["rectangle"], "depth": [3], "size": [256],
 *              "learning_rate": [0.001], "batch_size": [32], "epochs": [5] },
 *   "grids": [ { "depth": [2] }, { "depth": [4], "size": [1024] } ] }
 * }</pre>
 *
 * {@code grid} holds the values every run shares; each entry of the optional {@code grids}
 * overrides some of them, and the sweep is the union of those sub-grids (non-rectangular sweeps).
 */
public final class SpecParser {

    /** Every top-level key of a sweep file: the sweep's own, then how it runs, then its grids. */
    public static final List<String> TOP_KEYS =
            List.of("name", "description", "seed", "repetitions", "test_split", "strict", "engine", "data_parallel",
                    "checkpoint_epochs", "checkpoint_dir", "keep_checkpoints", "live_view", "grid", "grids");
    public static final List<String> GRID_KEYS = List.of("dataset", "shape", "depth", "size", "learning_rate",
            "batch_size", "label_noise", "kernel_regularizer", "bias_regularizer", "optimizer", "momentum", "activation",
            "dropout", "epochs", "early_stopping_patience");
    private static final Map<String, List<?>> GRID_DEFAULTS = Map.of(
            "label_noise", List.of(0.0),
            "kernel_regularizer", List.of(KernelRegularizer.NONE),
            "bias_regularizer", List.of(KernelRegularizer.NONE),
            "optimizer", List.of(Optimizer.ADAM),
            "momentum", List.of(0.0),
            "activation", List.of(ActivationFunction.RELU),
            "dropout", List.of(0.0),
            "early_stopping_patience", List.of(0));
    public static final int MAX_DEPTH = 64;
    /** The largest spec file read: a spec lists values, so anything bigger is not one. */
    public static final long MAX_SPEC_BYTES = 1 << 20;
    /**
     * The most runs one sweep may name (BUTTER's whole study was 3.55 million), counted before
     * duplicates and skipped cells, before any is made; well within the int index every run has.
     */
    public static final long MAX_RUNS = 5_000_000;
    /** JSON as specs read it: a key given twice is refused rather than the last one silently winning. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private SpecParser() {
    }

    /** The text of a spec file; a file that cannot be read is a spec problem. */
    public static String fileText(Path path) {
        try {
            if (Files.size(path) > MAX_SPEC_BYTES) {
                throw new SpecException(path.toString(), List.of("the file holds " + Files.size(path)
                        + " bytes; a spec holds at most " + MAX_SPEC_BYTES));
            }
            return Files.readString(path);
        } catch (IOException e) {
            throw new SpecException(path.toString(), List.of("cannot read the file ("
                    + e.getClass().getSimpleName() + ")"));
        }
    }

    /**
     * What a sweep file says the sweep runs. Its keys of how the sweep runs are allowed and left
     * alone: {@code io.churn.settings.SweepFile} reads both halves.
     */
    public static SweepSpec parse(String json, String source) {
        JsonNode root = json(json, source);
        List<String> problems = new ArrayList<>();
        unknownKeys(root, "", TOP_KEYS, problems);
        SweepSpec spec = sweep(root, problems);
        if (!problems.isEmpty()) {
            throw new SpecException(source, problems);
        }
        return spec;
    }

    /** The JSON object of a spec; throws a {@link SpecException} for text that is not one. */
    public static JsonNode json(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SpecException(source, List.of("not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
        if (root == null || !root.isObject()) {
            throw new SpecException(source, List.of("the spec must be a JSON object with keys " + TOP_KEYS));
        }
        return root;
    }

    /**
     * The sweep of a spec's own keys (name, seed, repetitions, test_split, grids), adding a problem
     * for each bad value; null when there was one. The keys of how it runs are not looked at.
     */
    public static SweepSpec sweep(JsonNode root, List<String> problems) {
        int before = problems.size();
        String name = null;
        JsonNode nameNode = root.get("name");
        if (nameNode == null) {
            problems.add("name: missing; give the sweep a name of " + Names.RULE);
        } else if (!nameNode.isTextual() || !Names.allowed(nameNode.asText())) {
            problems.add("name: " + nameNode + " is not allowed; use " + Names.RULE);
        } else {
            name = nameNode.asText();
        }
        long seed = integer(root, "seed", 0, 0, Long.MAX_VALUE, problems);
        int repetitions = (int) integer(root, "repetitions", 1, 1, 1_000_000, problems);
        double testSplit = 0.2;
        JsonNode split = root.get("test_split");
        if (split != null) {
            if (!split.isNumber() || !(split.asDouble() > 0 && split.asDouble() < 1)) {
                problems.add("test_split: " + split + " is not allowed; use a number strictly between 0 and 1");
            } else {
                testSplit = split.asDouble();
            }
        }
        boolean strict = false;
        JsonNode strictNode = root.get("strict");
        if (strictNode != null) {
            if (!strictNode.isBoolean()) {
                problems.add("strict: " + strictNode + " is not allowed; use true (a cell with no conformant layout"
                        + " refuses the spec) or false (such cells are skipped and counted; the default)");
            } else {
                strict = strictNode.asBoolean();
            }
        }
        Map<String, List<?>> base = new LinkedHashMap<>(GRID_DEFAULTS);
        JsonNode gridNode = root.get("grid");
        JsonNode gridsNode = root.get("grids");
        if (gridNode == null && gridsNode == null) {
            problems.add("grid: missing; list the values of " + GRID_KEYS);
        }
        if (gridNode != null) {
            base.putAll(gridValues(gridNode, "grid", problems));
        }
        List<Map<String, List<?>>> merged = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (gridsNode == null) {
            merged.add(base);
            labels.add("grid");
        } else if (!gridsNode.isArray() || gridsNode.isEmpty()) {
            problems.add("grids: must be a non-empty list of objects, each overriding keys of grid");
        } else {
            for (int i = 0; i < gridsNode.size(); i++) {
                Map<String, List<?>> m = new LinkedHashMap<>(base);
                m.putAll(gridValues(gridsNode.get(i), "grids[" + i + "]", problems));
                merged.add(m);
                labels.add("grids[" + i + "]");
            }
        }
        List<Grid> grids = new ArrayList<>();
        for (int i = 0; i < merged.size(); i++) {
            Map<String, List<?>> m = merged.get(i);
            List<String> missing = GRID_KEYS.stream().filter(k -> !m.containsKey(k)).toList();
            if (!missing.isEmpty()) {
                // values that failed validation were reported already; only name the truly absent ones
                List<String> absent = missing.stream().filter(k -> !mentioned(gridNode, k)
                        && !(gridsNode != null && gridsNode.isArray() && mentionedInAny(gridsNode, k))).toList();
                if (!absent.isEmpty()) {
                    problems.add(labels.get(i) + ": missing " + absent + "; every run needs a value for each of "
                            + GRID_KEYS);
                }
                continue;
            }
            grids.add(toGrid(m));
        }
        if (problems.size() == before) {
            // counted from the axes' lengths (as a double, which cannot overflow), before any run is made
            double runs = repetitions * grids.stream().mapToDouble(g -> (double) g.points()).sum();
            if (runs > MAX_RUNS) {
                problems.add("grid: the grids and repetitions name " + String.format("%.3g", runs) + " runs; one sweep"
                        + " holds at most " + MAX_RUNS + ": split it into several sweeps");
            }
        }
        return problems.size() > before ? null : new SweepSpec(name, seed, repetitions, testSplit, grids, strict);
    }

    /** The optional {@code live_view} of a sweep or PBT spec; null when absent (the view is off). */
    public static LiveView liveView(JsonNode root, List<String> problems) {
        JsonNode node = root.get("live_view");
        if (node == null) {
            return null;
        }
        try {
            return LiveView.parse(node.isTextual() ? node.asText() : node.toString());
        } catch (IllegalArgumentException e) {
            problems.add("live_view: " + e.getMessage());
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Grid toGrid(Map<String, List<?>> m) {
        return new Grid(
                (List<String>) m.get("dataset"),
                (List<String>) m.get("shape"),
                (List<Integer>) m.get("depth"),
                (List<Long>) m.get("size"),
                (List<Double>) m.get("learning_rate"),
                (List<Integer>) m.get("batch_size"),
                (List<Double>) m.get("label_noise"),
                (List<KernelRegularizer>) m.get("kernel_regularizer"),
                (List<KernelRegularizer>) m.get("bias_regularizer"),
                (List<Optimizer>) m.get("optimizer"),
                (List<Double>) m.get("momentum"),
                (List<ActivationFunction>) m.get("activation"),
                (List<Integer>) m.get("epochs"),
                (List<Integer>) m.get("early_stopping_patience"),
                (List<Double>) m.get("dropout"));
    }

    private static boolean mentioned(JsonNode obj, String key) {
        return obj != null && obj.isObject() && obj.has(key);
    }

    private static boolean mentionedInAny(JsonNode array, String key) {
        for (JsonNode n : array) {
            if (mentioned(n, key)) return true;
        }
        return false;
    }

    /** The values of the grid keys present in {@code node}; problems for bad ones. */
    private static Map<String, List<?>> gridValues(JsonNode node, String label, List<String> problems) {
        Map<String, List<?>> out = new LinkedHashMap<>();
        if (!node.isObject()) {
            problems.add(label + ": must be an object with keys from " + GRID_KEYS);
            return out;
        }
        unknownKeys(node, label + ".", GRID_KEYS, problems);
        for (String key : GRID_KEYS) {
            JsonNode value = node.get(key);
            if (value == null) continue;
            String where = label + "." + key;
            List<JsonNode> items = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(items::add);
            } else {
                items.add(value);
            }
            if (items.isEmpty()) {
                problems.add(where + ": the list is empty; give at least one value");
                continue;
            }
            List<Object> parsed = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String at = value.isArray() ? where + "[" + i + "]" : where;
                try {
                    parsed.add(element(key, items.get(i)));
                } catch (IllegalArgumentException e) {
                    problems.add(at + ": " + e.getMessage());
                }
            }
            if (parsed.size() == items.size()) {
                out.put(key, List.copyOf(parsed));
            }
        }
        return out;
    }

    /**
     * One value of a grid key, validated and converted (e.g. {@code "adam"} to {@link Optimizer#ADAM});
     * throws {@link IllegalArgumentException} saying what is allowed.
     */
    public static Object element(String key, JsonNode v) {
        switch (key) {
            case "dataset":
                return text(v, s -> {
                    String problem = Datasets.problem(s);
                    if (problem != null) {
                        throw new IllegalArgumentException(problem);
                    }
                    return s;
                });
            case "shape":
                return text(v, s -> {
                    Shape.fromSpecName(s);
                    return s;
                });
            case "depth":
                return (int) whole(v, 2, MAX_DEPTH, "dense layers, counting the output layer");
            case "size":
                return whole(v, 1, 1L << 40, "free parameters");
            case "learning_rate":
                return number(v, 0, false, 10, "exclusive of 0");
            case "batch_size":
                return (int) whole(v, 1, 1 << 20, "rows per step");
            case "label_noise":
                return number(v, 0, true, 1, "the fraction of training labels corrupted; 1 excluded");
            case "kernel_regularizer":
            case "bias_regularizer":
                return text(v, KernelRegularizer::parse);
            case "optimizer":
                return text(v, Optimizer::fromSpecName);
            case "momentum":
                return number(v, 0, true, 1, "SGD's Nesterov momentum; ignored by adam and rmsprop");
            case "activation":
                return text(v, ActivationFunction::trainable);
            case "dropout":
                return number(v, 0, true, 1, "the fraction of each hidden layer's outputs dropped in training; 1 excluded");
            case "epochs":
                return (int) whole(v, 1, 1_000_000, "passes over the training split");
            case "early_stopping_patience":
                return (int) whole(v, 0, 1_000_000, "epochs without a better test loss before stopping; 0 = never");
            default:
                throw new IllegalStateException("no rule for grid key " + key);
        }
    }

    /** A string value converted by {@code f}; throws {@link IllegalArgumentException} for any other value. */
    public static <T> T text(JsonNode v, Function<String, T> f) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException(v + " is not a string");
        }
        return f.apply(v.asText());
    }

    private static long whole(JsonNode v, long min, long max, String meaning) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw new IllegalArgumentException(v + " is not allowed; use a whole number from " + min + " to " + max
                    + " (" + meaning + ")");
        }
        return v.asLong();
    }

    private static double number(JsonNode v, double min, boolean minIncluded, double maxExcluded, String meaning) {
        double d = v.asDouble();
        boolean ok = v.isNumber() && (minIncluded ? d >= min : d > min) && d < maxExcluded;
        if (!ok) {
            throw new IllegalArgumentException(v + " is not allowed; use a number from " + min + " to below "
                    + maxExcluded + " (" + meaning + ")");
        }
        return d;
    }

    /** The whole number under {@code key}, or {@code dflt} when absent; a problem when out of range. */
    public static long integer(JsonNode root, String key, long dflt, long min, long max, List<String> problems) {
        JsonNode v = root.get(key);
        if (v == null) return dflt;
        try {
            return whole(v, min, max, key);
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return dflt;
        }
    }

    /** A problem for every key of {@code obj} not in {@code allowed}. */
    public static void unknownKeys(JsonNode obj, String prefix, List<String> allowed, List<String> problems) {
        Set<String> allowedSet = Set.copyOf(allowed);
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowedSet.contains(k)) {
                problems.add(prefix + k + ": unknown key; allowed: " + String.join(", ", allowed));
            }
        }
    }
}
