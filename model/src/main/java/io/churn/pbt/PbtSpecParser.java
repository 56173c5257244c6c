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
 * the hyperparameter space is given inline ({@code space}) or as a CANDLE parameter file as CANDLE
 * ships it ({@code space_file}: a list of {@code {name, type, element_type, values | value |
 * lower/upper}}, CANDLE's names such as {@code lr}, {@code drop}, {@code dense} and {@code epochs};
 * extra keys such as {@code comment} or {@code sigma} ignored). Every problem is reported at once,
 * naming its key. {@code preset} ({@link Preset}) names a set of exploit and explore rules, which
 * the spec's own {@code exploit} and {@code explore} keys override one by one.
 *
 * <pre>{@code
 * { "name": "pbt-wine", "seed": 1, "dataset": "wine_quality_white", "shape": "rectangle", "depth": 3,
 *   "size": 4096, "population": 8, "generations": 5, "epochs_per_generation": 2,
 *   "metric": "test_loss", "mode": "min",
 *   "exploit": { "method": "truncation", "fraction": 0.2, "rounding": "floor" },
 *   "explore": { "perturb_factors": [0.8, 1.2], "resample_probability": 0.25, "clip": true },
 *   "space": { "learning_rate": { "lower": 0.0001, "upper": 0.1, "log": true },
 *              "batch_size": { "values": [16, 32, 64, 128] } } }
 * }</pre>
 */
public final class PbtSpecParser {

    public static final List<String> KEYS = List.of("name", "description", "seed", "dataset", "shape", "depth", "size",
            "optimizer", "activation", "test_split", "population", "generations", "epochs_per_generation", "metric",
            "mode", "preset", "exploit", "explore", "space", "space_file", "live_view");
    private static final ObjectMapper JSON = SpecParser.JSON;
    /**
     * The keys each nested object of a PBT spec allows, in one place: a key not listed here (a typo
     * such as {@code explore.perturb_factor}) is refused, never silently defaulted.
     */
    private static final Map<String, List<String>> NESTED_KEYS = Map.of(
            "exploit", List.of("method", "fraction", "rounding"),
            "explore", List.of("perturb_factors", "resample_probability", "clip", "hyperparameters"),
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
        CandleFile candle = new CandleFile();
        if (root.has("space") == root.has("space_file")) {
            problems.add("space: give exactly one of space (inline) or space_file (a CANDLE parameter file)");
        } else if (root.has("space")) {
            inlineSpace(root.get("space"), candle.space, problems);
        } else {
            Path file = directory == null ? Path.of(root.get("space_file").asText())
                    : directory.resolve(root.get("space_file").asText());
            candleSpace(file, candle, problems);
        }
        long seed = (long) whole(root, "seed", 0, 0, Long.MAX_VALUE, problems);
        String dataset = (String) gridValue(root, "dataset", null, problems);
        String shape;
        Integer depth;
        Long size;
        if (candle.hiddenWidths.isEmpty()) {
            shape = (String) gridValue(root, "shape", "rectangle", problems);
            depth = (Integer) gridValue(root, "depth", null, problems);
            size = (Long) gridValue(root, "size", null, problems);
        } else {
            for (String key : List.of("shape", "depth", "size")) {
                if (root.has(key)) problems.add(key + ": the space file's dense gives the hidden widths; leave it out");
            }
            shape = PbtSpec.EXPLICIT_SHAPE;
            depth = candle.hiddenWidths.size() + 1;
            size = 0L;
        }
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
        int epochs = (int) whole(root, "epochs_per_generation", 1, 1, 1_000_000, problems);
        int generations;
        if (candle.totalEpochs == null) {
            generations = (int) whole(root, "generations", -1, 1, 100_000, problems);
        } else {
            // CANDLE's epochs is the job's total: it fixes the number of generations
            generations = candle.totalEpochs / epochs;
            if (candle.totalEpochs % epochs != 0) {
                problems.add("space_file (epochs): " + candle.totalEpochs + " epochs in all is not a whole number of"
                        + " generations of " + epochs + " (epochs_per_generation)");
            } else if (root.has("generations") && root.get("generations").asInt() != generations) {
                problems.add("generations: " + root.get("generations") + " disagrees with the space file's epochs ("
                        + candle.totalEpochs + " in all, " + epochs + " per generation); leave it out");
            }
            candle.mapped.put("epochs", "the job's " + candle.totalEpochs + " epochs: " + generations
                    + " generations of " + epochs);
        }
        Metric metric = Metric.TEST_LOSS;
        try {
            metric = Metric.fromSpecName(root.path("metric").asText(Metric.TEST_LOSS.specName()));
        } catch (IllegalArgumentException e) {
            problems.add("metric: " + e.getMessage());
        }
        String mode = root.path("mode").asText(metric.maximizedByDefault() ? PbtSpec.MAXIMIZE : PbtSpec.MINIMIZE);
        if (!Set.of(PbtSpec.MINIMIZE, PbtSpec.MAXIMIZE).contains(mode)) {
            problems.add("mode: '" + mode + "' is not allowed; allowed: " + PbtSpec.MINIMIZE + ", " + PbtSpec.MAXIMIZE);
        }
        Preset preset = Preset.PAPER;
        try {
            preset = Preset.fromSpecName(root.path("preset").asText(Preset.PAPER.specName()));
        } catch (IllegalArgumentException e) {
            problems.add("preset: " + e.getMessage());
        }
        nestedKeys(root.get("exploit"), "exploit", problems);
        nestedKeys(root.get("explore"), "explore", problems);
        PbtSpec.Exploit exploit = exploit(root.path("exploit"), preset.exploit(), problems);
        PbtSpec.Explore explore = explore(root.path("explore"), preset.explore(), problems);
        for (String h : explore.hyperparameters()) {
            if (PbtSpec.WITH_WEIGHTS.contains(h)) {
                problems.add("explore.hyperparameters: " + h + " goes with the weights a copy loads; it is not explored");
            } else if (!candle.space.containsKey(h)) {
                problems.add("explore.hyperparameters: " + h + " is not in the space"
                        + (root.has("preset") ? " (the " + preset + " preset explores " + explore.hyperparameters()
                        + ")" : ""));
            }
        }
        LiveView liveView = SpecParser.liveView(root, problems);
        if (!problems.isEmpty()) {
            throw new SpecException(source, problems);
        }
        return new PbtSpec(name, seed, dataset, shape, depth, size, optimizer, activation, testSplit, population,
                generations, epochs, metric, mode.equals(PbtSpec.MAXIMIZE), exploit, explore, candle.space, candle.hiddenWidths,
                candle.mapped, candle.ignored, liveView);
    }

    /** What a CANDLE parameter file gives, beside the space: widths, the total epochs, and what became of each entry. */
    private static final class CandleFile {
        final Map<String, Domain> space = new LinkedHashMap<>();
        final List<Integer> hiddenWidths = new ArrayList<>();
        final Map<String, String> mapped = new LinkedHashMap<>();
        final List<String> ignored = new ArrayList<>();
        Integer totalEpochs;
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

    /** The spec's {@code exploit}, each key it leaves out taken from the preset's. */
    private static PbtSpec.Exploit exploit(JsonNode node, PbtSpec.Exploit preset, List<String> problems) {
        ExploitMethod method = preset.method();
        try {
            method = ExploitMethod.fromSpecName(node.path("method").asText(preset.method().specName()));
        } catch (IllegalArgumentException e) {
            problems.add("exploit.method: " + e.getMessage());
        }
        double fraction = optionalNumber(node, "exploit", "fraction", preset.fraction(), problems);
        if (!(fraction > 0 && fraction <= 0.5)) {
            problems.add("exploit.fraction: " + fraction + " is not allowed; use a number in (0, 0.5]");
        }
        TruncationRounding rounding = preset.rounding();
        try {
            rounding = TruncationRounding.fromSpecName(node.path("rounding").asText(preset.rounding().specName()));
        } catch (IllegalArgumentException e) {
            problems.add("exploit.rounding: " + e.getMessage());
        }
        return new PbtSpec.Exploit(method, fraction, rounding);
    }

    /** The spec's {@code explore}, each key it leaves out taken from the preset's. */
    private static PbtSpec.Explore explore(JsonNode node, PbtSpec.Explore preset, List<String> problems) {
        List<Double> factors = new ArrayList<>();
        if (node.has("perturb_factors")) {
            node.get("perturb_factors").forEach(f -> factors.add(f.isNumber() ? f.asDouble() : -1));
        } else {
            factors.addAll(preset.perturbFactors());
        }
        if (factors.isEmpty() || factors.stream().anyMatch(f -> !(f > 0))) {
            problems.add("explore.perturb_factors: " + node.get("perturb_factors") + " is not allowed; list numbers > 0");
        }
        double resample = optionalNumber(node, "explore", "resample_probability", preset.resampleProbability(),
                problems);
        if (!(resample >= 0 && resample <= 1)) {
            problems.add("explore.resample_probability: " + resample + " is not allowed; use a number in [0, 1]");
        }
        boolean clip = preset.clip();
        if (node.has("clip")) {
            if (!node.get("clip").isBoolean()) problems.add("explore.clip: " + node.get("clip") + " is not true or false");
            clip = node.get("clip").asBoolean(clip);
        }
        List<String> hyperparameters = new ArrayList<>(preset.hyperparameters());
        if (node.has("hyperparameters")) {
            hyperparameters.clear();
            node.get("hyperparameters").forEach(h -> hyperparameters.add(CANDLE_NAMES.getOrDefault(h.asText(),
                    h.asText())));
        }
        return new PbtSpec.Explore(factors, resample, clip, hyperparameters);
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
                    space.put(e.getKey(), new Domain.Choice(values(d.get("values"), null)));
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

    /** CANDLE's names for the hyperparameters Churn has, where they differ from Churn's (Churn's own names are read too). */
    static final Map<String, String> CANDLE_NAMES = Map.of("lr", "learning_rate", "drop", "dropout");
    /** CANDLE's entry types. */
    static final List<String> CANDLE_TYPES = List.of("constant", "int", "float", "categorical", "ordered", "logical");

    /**
     * CANDLE's parameter-space format: each entry is drawn per member (or is the job's: {@code epochs},
     * the total, and {@code dense}, the hidden widths); entries that cannot apply to a dense network
     * go to {@code ignored}. Keys beyond {@code name, type, element_type, value(s), lower, upper} are
     * ignored, as CANDLE does.
     */
    private static void candleSpace(Path file, CandleFile candle, List<String> problems) {
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
        if (list == null || !list.isArray()) {
            problems.add("space_file: " + file + " must hold a JSON list of {name, type, ...} entries");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String name = e.path("name").asText("");
            String type = e.path("type").asText("");
            String where = "space_file[" + i + "] (" + name + ")";
            try {
                if (!CANDLE_TYPES.contains(type)) {
                    throw new IllegalArgumentException("type '" + type + "' is not allowed; allowed: "
                            + String.join(", ", CANDLE_TYPES));
                }
                String key = CANDLE_NAMES.getOrDefault(name, name);
                if (name.equals("epochs")) {
                    candle.totalEpochs = (int) wholeConstant(e, type, "epochs", 1);
                } else if (name.equals("dense")) {
                    candle.hiddenWidths.addAll(widths(e, type));
                    candle.mapped.put("dense", "hidden widths " + candle.hiddenWidths);
                } else if (PbtSpec.MUTABLE.contains(key)) {
                    Domain d = candleDomain(e, type);
                    check(key, d);
                    candle.space.put(key, d);
                    candle.mapped.put(name, key);
                } else {
                    candle.ignored.add(name);
                }
            } catch (IllegalArgumentException ex) {
                problems.add(where + ": " + ex.getMessage());
            }
        }
        if (candle.space.isEmpty()) {
            problems.add("space_file: " + file + " names none of " + PbtSpec.MUTABLE + " (or CANDLE's "
                    + String.join(", ", CANDLE_NAMES.keySet()) + ")");
        }
    }

    private static Domain candleDomain(JsonNode e, String type) {
        String element = e.path("element_type").asText(null);
        return switch (type) {
            case "float" -> new Domain.Range(number(e, "lower"), number(e, "upper"), false, flag(e, "log"));
            case "int" -> new Domain.Range(number(e, "lower"), number(e, "upper"), true, false);
            case "ordered", "categorical" -> new Domain.Choice(values(e.get("values"), element));
            case "constant" -> new Domain.Choice(List.of(scalar(e.get("value"), element)));
            case "logical" -> new Domain.Choice(List.of(false, true));
            default -> throw new IllegalStateException("type " + type + " was checked");
        };
    }

    /** A whole-number job setting, which CANDLE gives as a constant. */
    private static long wholeConstant(JsonNode e, String type, String meaning, long min) {
        JsonNode v = e.get("value");
        if (!type.equals("constant") || v == null || !v.isIntegralNumber() || v.asLong() < min) {
            throw new IllegalArgumentException("the job's " + meaning + " must be a constant whole number >= " + min);
        }
        return v.asLong();
    }

    /**
     * CANDLE's {@code dense}: the hidden widths as a list or a space-separated string, one for the
     * whole population, since members copy each other's weights.
     */
    private static List<Integer> widths(JsonNode e, String type) {
        JsonNode v = e.get("value");
        if (!type.equals("constant") && e.path("values").size() == 1) {
            v = e.get("values").get(0);
        } else if (!type.equals("constant")) {
            throw new IllegalArgumentException("members copy each other's weights, so every member needs the same"
                    + " widths; give dense as a constant");
        }
        List<Integer> widths = new ArrayList<>();
        if (v != null && v.isTextual()) {
            for (String w : v.asText().trim().split("[\\s,]+")) {
                widths.add(width(w));
            }
        } else if (v != null && v.isArray()) {
            v.forEach(w -> widths.add(width(w.asText())));
        } else {
            throw new IllegalArgumentException("dense must be a list of widths or a string such as \"200 20\"");
        }
        return widths;
    }

    private static int width(String w) {
        try {
            int n = Integer.parseInt(w);
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // the message below says what is wanted
        }
        throw new IllegalArgumentException("'" + w + "' is not a width; widths are whole numbers >= 1");
    }

    /**
     * Every value of a domain must be one a run accepts (batch sizes are whole numbers >= 1, an
     * optimizer or activation a known name) and one the training engines train now.
     */
    private static void check(String name, Domain d) {
        List<Object> probes = d instanceof Domain.Choice c ? c.values()
                : List.of(((Domain.Range) d).lower(), ((Domain.Range) d).upper());
        for (Object v : probes) {
            if (name.equals("optimizer") || name.equals("activation")) {
                if (!(v instanceof String text)) {
                    throw new IllegalArgumentException(v + " is not a name");
                }
                if (name.equals("optimizer")) {
                    Optimizer.fromSpecName(text);
                } else {
                    ActivationFunction.trainable(text);
                }
                continue;
            }
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException(v + " is not a number");
            }
            double x = n.doubleValue();
            boolean ok = switch (name) {
                case "learning_rate" -> x > 0;
                case "batch_size" -> x >= 1 && x == Math.rint(x);
                case "momentum", "label_noise", "dropout" -> x >= 0 && x < 1;
                default -> x >= 0;
            };
            if (!ok) {
                throw new IllegalArgumentException(v + " is not a valid " + name);
            }
        }
    }

    /** Listed values, as {@code elementType} says (CANDLE's int, float, string, logical) or as JSON has them. */
    private static List<Object> values(JsonNode node, String elementType) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("values must be a non-empty list");
        }
        List<Object> out = new ArrayList<>();
        node.forEach(v -> out.add(scalar(v, elementType)));
        return out;
    }

    private static Object scalar(JsonNode v, String elementType) {
        if (v == null || !(v.isNumber() || v.isTextual() || v.isBoolean())) {
            throw new IllegalArgumentException(v + " is not a number, a name or a logical value");
        }
        String type = elementType != null ? elementType
                : v.isIntegralNumber() ? "int" : v.isNumber() ? "float" : v.isBoolean() ? "logical" : "string";
        return switch (type) {
            case "int" -> {
                if (!v.isIntegralNumber()) throw new IllegalArgumentException(v + " is not an int");
                yield v.asLong();
            }
            case "float" -> {
                if (!v.isNumber()) throw new IllegalArgumentException(v + " is not a float");
                yield v.asDouble();
            }
            case "string" -> {
                if (!v.isTextual()) throw new IllegalArgumentException(v + " is not a string");
                yield v.asText();
            }
            case "logical" -> {
                if (!v.isBoolean()) throw new IllegalArgumentException(v + " is not a logical value");
                yield v.asBoolean();
            }
            default -> throw new IllegalArgumentException("element_type '" + type
                    + "' is not allowed; allowed: int, float, string, logical");
        };
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
