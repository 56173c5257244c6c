package io.churn.pbt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.churn.spec.ActivationFunction;
import io.churn.spec.LiveView;
import io.churn.spec.Optimizer;
import io.churn.spec.Names;
import io.churn.spec.SpecException;
import io.churn.spec.SpecParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a PBT spec (JSON). The network keys are a sweep's ({@code dataset}, {@code shape}, ...);
 * the hyperparameter space is given inline ({@code space}) or as a CANDLE parameter file
 * ({@code space_file}: a list of {@code {name, type, element_type, values | lower/upper}}; extra keys
 * such as {@code sigma} ignored). Every problem is reported at once, naming its key.
 *
 * <pre>{@code
 * { "name": "pbt-wine", "seed": 1, "dataset": "wine_quality_white", "shape": "rectangle", "depth": 3,
 *   "size": 4096, "population": 8, "generations": 5, "epochs_per_generation": 2,
 *   "metric": "test_loss", "mode": "min",
 *   "exploit": { "method": "truncation", "fraction": 0.2 },
 *   "explore": { "perturb_factors": [0.8, 1.2], "resample_probability": 0.25 },
 *   "space": { "learning_rate": { "lower": 0.0001, "upper": 0.1, "log": true },
 *              "batch_size": { "values": [16, 32, 64, 128] } } }
 * }</pre>
 */
public final class PbtSpecParser {

    public static final List<String> KEYS = List.of("name", "description", "seed", "dataset", "shape", "depth", "size",
            "optimizer", "activation", "test_split", "population", "generations", "epochs_per_generation", "metric",
            "mode", "exploit", "explore", "space", "space_file", "live_view");
    private static final ObjectMapper JSON = SpecParser.JSON;
    /**
     * The keys each nested object of a PBT spec allows, in one place: a key not listed here (a typo
     * such as {@code explore.perturb_factor}) is refused, never silently defaulted.
     */
    private static final Map<String, List<String>> NESTED_KEYS = Map.of(
            "exploit", List.of("method", "fraction"),
            "explore", List.of("perturb_factors", "resample_probability"),
            "space", List.of("values", "lower", "upper", "log"));

    private PbtSpecParser() {
    }

    public static PbtSpec read(Path path) {
        return parse(SpecParser.fileText(path), path.toString(), path.toAbsolutePath().getParent());
    }

    /** Parses {@code json}; a {@code space_file} is resolved against {@code directory}. */
    public static PbtSpec parse(String json, String source, Path directory) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SpecException(source, List.of("not valid JSON: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new SpecException(source, List.of("the spec must be a JSON object with keys " + KEYS));
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) problems.add(k + ": unknown key; allowed: " + String.join(", ", KEYS));
        }
        String name = root.path("name").asText("");
        if (!Names.allowed(name)) {
            problems.add("name: " + root.get("name") + " is not allowed; use " + Names.RULE);
        }
        long seed = (long) whole(root, "seed", 0, 0, Long.MAX_VALUE, problems);
        String dataset = (String) gridValue(root, "dataset", null, problems);
        String shape = (String) gridValue(root, "shape", "rectangle", problems);
        Integer depth = (Integer) gridValue(root, "depth", null, problems);
        Long size = (Long) gridValue(root, "size", null, problems);
        Optimizer optimizer = (Optimizer) gridValue(root, "optimizer", "adam", problems);
        ActivationFunction activation = (ActivationFunction) gridValue(root, "activation", "relu", problems);
        double testSplit = 0.2;
        if (root.has("test_split")) {
            double v = root.get("test_split").asDouble(-1);
            if (!root.get("test_split").isNumber() || !(v > 0 && v < 1)) {
                problems.add("test_split: " + root.get("test_split") + " is not allowed; use a number strictly between 0 and 1");
            } else {
                testSplit = v;
            }
        }
        int population = (int) whole(root, "population", -1, 1, 100_000, problems);
        int generations = (int) whole(root, "generations", -1, 1, 100_000, problems);
        int epochs = (int) whole(root, "epochs_per_generation", 1, 1, 1_000_000, problems);
        Metric metric = Metric.TEST_LOSS;
        try {
            metric = Metric.fromSpecName(root.path("metric").asText(Metric.TEST_LOSS.specName()));
        } catch (IllegalArgumentException e) {
            problems.add("metric: " + e.getMessage());
        }
        String mode = root.path("mode").asText(metric.maximizedByDefault() ? "max" : "min");
        if (!Set.of("min", "max").contains(mode)) {
            problems.add("mode: '" + mode + "' is not allowed; allowed: min, max");
        }
        nestedKeys(root.get("exploit"), "exploit", problems);
        nestedKeys(root.get("explore"), "explore", problems);
        PbtSpec.Exploit exploit = exploit(root.path("exploit"), problems);
        PbtSpec.Explore explore = explore(root.path("explore"), problems);
        Map<String, Domain> space = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        if (root.has("space") == root.has("space_file")) {
            problems.add("space: give exactly one of space (inline) or space_file (a CANDLE parameter file)");
        } else if (root.has("space")) {
            inlineSpace(root.get("space"), space, problems);
        } else {
            Path file = directory == null ? Path.of(root.get("space_file").asText())
                    : directory.resolve(root.get("space_file").asText());
            candleSpace(file, space, ignored, problems);
        }
        LiveView liveView = SpecParser.liveView(root, problems);
        if (!problems.isEmpty()) {
            throw new SpecException(source, problems);
        }
        return new PbtSpec(name, seed, dataset, shape, depth, size, optimizer, activation, testSplit, population,
                generations, epochs, metric, mode.equals("max"), exploit, explore, space, ignored, liveView);
    }

    private static Object gridValue(JsonNode root, String key, String dflt, List<String> problems) {
        JsonNode v = root.get(key);
        if (v == null) {
            if (dflt == null) {
                problems.add(key + ": missing");
                return null;
            }
            v = JSON.getNodeFactory().textNode(dflt);
        }
        try {
            return SpecParser.element(key, v);
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return null;
        }
    }

    private static long whole(JsonNode root, String key, long dflt, long min, long max, List<String> problems) {
        JsonNode v = root.get(key);
        if (v == null) {
            if (dflt < 0) problems.add(key + ": missing; use a whole number from " + min + " to " + max);
            return dflt;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            problems.add(key + ": " + v + " is not allowed; use a whole number from " + min + " to " + max);
            return dflt;
        }
        return v.asLong();
    }

    /** Refuses a nested object that is not one, or that has keys {@link #NESTED_KEYS} does not list for {@code where}. */
    private static void nestedKeys(JsonNode node, String where, List<String> problems) {
        if (node == null) return;
        List<String> allowed = NESTED_KEYS.get(where.contains(".") ? where.substring(0, where.indexOf('.')) : where);
        if (!node.isObject()) {
            problems.add(where + ": must be an object with keys " + String.join(", ", allowed));
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) problems.add(where + "." + k + ": unknown key; allowed: " + String.join(", ", allowed));
        }
    }

    /** A number at {@code key} of {@code node}, or {@code dflt} when absent; anything else is a problem. */
    private static double optionalNumber(JsonNode node, String where, String key, double dflt, List<String> problems) {
        JsonNode v = node.get(key);
        if (v == null) return dflt;
        if (!v.isNumber()) {
            problems.add(where + "." + key + ": " + v + " is not a number");
            return dflt;
        }
        return v.asDouble();
    }

    private static PbtSpec.Exploit exploit(JsonNode node, List<String> problems) {
        ExploitMethod method = ExploitMethod.TRUNCATION;
        try {
            method = ExploitMethod.fromSpecName(node.path("method").asText(ExploitMethod.TRUNCATION.specName()));
        } catch (IllegalArgumentException e) {
            problems.add("exploit.method: " + e.getMessage());
        }
        double fraction = optionalNumber(node, "exploit", "fraction", 0.2, problems);
        if (!(fraction > 0 && fraction <= 0.5)) {
            problems.add("exploit.fraction: " + fraction + " is not allowed; use a number in (0, 0.5]");
        }
        return new PbtSpec.Exploit(method, fraction);
    }

    private static PbtSpec.Explore explore(JsonNode node, List<String> problems) {
        List<Double> factors = new ArrayList<>();
        if (node.has("perturb_factors")) {
            node.get("perturb_factors").forEach(f -> factors.add(f.isNumber() ? f.asDouble() : -1));
        } else {
            factors.addAll(List.of(0.8, 1.2));
        }
        if (factors.isEmpty() || factors.stream().anyMatch(f -> !(f > 0))) {
            problems.add("explore.perturb_factors: " + node.get("perturb_factors") + " is not allowed; list numbers > 0");
        }
        double resample = optionalNumber(node, "explore", "resample_probability", 0.25, problems);
        if (!(resample >= 0 && resample <= 1)) {
            problems.add("explore.resample_probability: " + resample + " is not allowed; use a number in [0, 1]");
        }
        return new PbtSpec.Explore(factors, resample);
    }

    private static void inlineSpace(JsonNode node, Map<String, Domain> space, List<String> problems) {
        if (!node.isObject() || node.isEmpty()) {
            problems.add("space: must name at least one of " + PbtSpec.MUTABLE);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = "space." + e.getKey();
            if (!PbtSpec.MUTABLE.contains(e.getKey())) {
                problems.add(where + ": PBT cannot change it; allowed: " + String.join(", ", PbtSpec.MUTABLE));
                continue;
            }
            JsonNode d = e.getValue();
            int before = problems.size();
            nestedKeys(d, where, problems);
            if (problems.size() > before) continue;
            try {
                if (d.has("values")) {
                    space.put(e.getKey(), new Domain.Choice(values(d.get("values"))));
                } else {
                    space.put(e.getKey(), new Domain.Range(number(d, "lower"), number(d, "upper"),
                            e.getKey().equals("batch_size"), flag(d, "log")));
                }
                check(e.getKey(), space.get(e.getKey()));
            } catch (IllegalArgumentException ex) {
                problems.add(where + ": " + ex.getMessage());
            }
        }
    }

    /** CANDLE's parameter-space format; entries PBT cannot change are listed in {@code ignored}. */
    private static void candleSpace(Path file, Map<String, Domain> space, List<String> ignored, List<String> problems) {
        JsonNode list;
        try {
            list = JSON.readTree(SpecParser.fileText(file));
        } catch (SpecException e) {
            problems.add("space_file: " + file + ": " + String.join("; ", e.problems()));
            return;
        } catch (JsonProcessingException e) {
            // the parser's message quotes the file: name only where it went wrong
            problems.add("space_file: " + file + " is not a JSON list of CANDLE parameter entries (not valid JSON at"
                    + " line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
            return;
        }
        if (!list.isArray()) {
            problems.add("space_file: " + file + " must hold a JSON list of {name, type, ...} entries");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String name = e.path("name").asText("");
            String type = e.path("type").asText("");
            String where = "space_file[" + i + "] (" + name + ")";
            if (!PbtSpec.MUTABLE.contains(name)) {
                ignored.add(name);
                continue;
            }
            try {
                Domain d = switch (type) {
                    case "float" -> new Domain.Range(number(e, "lower"), number(e, "upper"), false, flag(e, "log"));
                    case "int" -> new Domain.Range(number(e, "lower"), number(e, "upper"), true, false);
                    case "ordered", "categorical" -> new Domain.Choice(values(e.get("values")));
                    case "constant" -> new Domain.Choice(List.of(scalar(e.get("value"))));
                    default -> throw new IllegalArgumentException("type '" + type
                            + "' is not allowed; allowed: float, int, ordered, categorical, constant");
                };
                check(name, d);
                space.put(name, d);
            } catch (IllegalArgumentException ex) {
                problems.add(where + ": " + ex.getMessage());
            }
        }
        if (space.isEmpty()) {
            problems.add("space_file: " + file + " names none of " + PbtSpec.MUTABLE);
        }
    }

    /** Every value of a domain must be one the run accepts (e.g. batch sizes are whole numbers >= 1). */
    private static void check(String name, Domain d) {
        List<Object> probes = d instanceof Domain.Choice c ? c.values()
                : List.of(((Domain.Range) d).lower(), ((Domain.Range) d).upper());
        for (Object v : probes) {
            double x = ((Number) v).doubleValue();
            boolean ok = switch (name) {
                case "learning_rate" -> x > 0;
                case "batch_size" -> x >= 1 && x == Math.rint(x);
                case "momentum", "label_noise" -> x >= 0 && x < 1;
                default -> x >= 0;
            };
            if (!ok) {
                throw new IllegalArgumentException(v + " is not a valid " + name);
            }
        }
    }

    private static List<Object> values(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("values must be a non-empty list");
        }
        List<Object> out = new ArrayList<>();
        node.forEach(v -> out.add(scalar(v)));
        return out;
    }

    private static Object scalar(JsonNode v) {
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(v + " is not a number");
        }
        return v.isIntegralNumber() ? (Object) v.asLong() : (Object) v.asDouble();
    }

    /** An optional true/false at {@code key}; false when absent. */
    private static boolean flag(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) return false;
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, not " + v);
        }
        return v.asBoolean();
    }

    private static double number(JsonNode node, String key) {
        if (!node.path(key).isNumber()) {
            throw new IllegalArgumentException(key + " must be a number");
        }
        return node.get(key).asDouble();
    }
}
