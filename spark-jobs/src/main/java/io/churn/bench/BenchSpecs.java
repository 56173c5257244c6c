package io.churn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.churn.pbt.PbtSpec;
import io.churn.pbt.PbtSpecParser;
import io.churn.spec.ActivationFunction;
import io.churn.spec.Grid;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import io.churn.spec.SweepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The specs the benchmarks run, built as values: one grid of the keys a benchmark varies, every
 * other key at the parser's default. The only place the benchmarks construct spec records.
 */
final class BenchSpecs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TEST_SPLIT = 0.2;

    private BenchSpecs() {
    }

    /** A sweep and the JSON text the ledger records for it (written from the sweep, so the two agree). */
    record Sweep(SweepSpec spec, String json) {
    }

    /** The keys a benchmark's grid varies; the rest take the values a spec that leaves them out gets. */
    record GridValues(String dataset, List<String> shapes, List<Integer> depths, List<Long> sizes,
                      double learningRate, int batchSize, int epochs) {
        GridValues {
            shapes = List.copyOf(shapes);
            depths = List.copyOf(depths);
            sizes = List.copyOf(sizes);
        }

        GridValues withEpochs(int other) {
            return new GridValues(dataset, shapes, depths, sizes, learningRate, batchSize, other);
        }
    }

    /** A sweep of one grid, seed 0 (it runs with the default settings: {@code SweepSettings.DEFAULT}). */
    static Sweep sweep(String name, int repetitions, GridValues values) {
        Grid grid = new Grid(List.of(values.dataset()), values.shapes(), values.depths(), values.sizes(),
                List.of(values.learningRate()), List.of(values.batchSize()), List.of(0.0),
                List.of(KernelRegularizer.NONE), List.of(KernelRegularizer.NONE), List.of(Optimizer.ADAM),
                List.of(0.0), List.of(ActivationFunction.RELU), List.of(values.epochs()), List.of(0), List.of(0.0));
        SweepSpec spec = new SweepSpec(name, 0, repetitions, TEST_SPLIT, List.of(grid));
        return new Sweep(spec, json(spec));
    }

    /** A PBT job and the JSON text it was read from. */
    record Pbt(PbtSpec spec, String json) {
    }

    /** The PBT spec in {@code file}. */
    static Pbt pbt(Path file) throws IOException {
        return new Pbt(PbtSpecParser.read(file), Files.readString(file));
    }

    /**
     * The random search a PBT job is measured against: the same population drawn from the same space,
     * each member training all of the job's epochs with its initial hyperparameters (one generation).
     */
    static Pbt randomSearch(Pbt pbt, Path directory) throws IOException {
        ObjectNode search = (ObjectNode) JSON.readTree(pbt.json());
        search.put("name", pbt.spec().name() + ".random");
        search.put("generations", 1);
        search.put("epochs_per_generation", pbt.spec().generations() * pbt.spec().epochsPerGeneration());
        String json = JSON.writeValueAsString(search);
        return new Pbt(PbtSpecParser.parse(json, "random search", directory), json);
    }

    /** One run of a network trained with Adam on a synthetic dataset (for timing steps, never recorded). */
    static RunSpec syntheticRun(String shape, int depth, long size, int batchSize) {
        return new RunSpec("synthetic", shape, depth, size, 1e-3, batchSize, 0, KernelRegularizer.NONE,
                KernelRegularizer.NONE, Optimizer.ADAM, 0, ActivationFunction.RELU, 1, 0, TEST_SPLIT, 0, 1);
    }

    /** The spec text of a sweep of one grid, under the keys {@code SpecParser} reads. */
    private static String json(SweepSpec spec) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", spec.name());
        root.put("seed", spec.seed());
        root.put("repetitions", spec.repetitions());
        root.put("test_split", spec.testSplit());
        Grid g = spec.grids().get(0);
        ObjectNode grid = root.putObject("grid");
        list(grid, "dataset", g.dataset(), d -> d);
        list(grid, "shape", g.shape(), s -> s);
        list(grid, "depth", g.depth(), d -> d);
        list(grid, "size", g.size(), s -> s);
        list(grid, "learning_rate", g.learningRate(), r -> r);
        list(grid, "batch_size", g.batchSize(), b -> b);
        list(grid, "label_noise", g.labelNoise(), n -> n);
        list(grid, "kernel_regularizer", g.kernelRegularizer(), KernelRegularizer::toString);
        list(grid, "bias_regularizer", g.biasRegularizer(), KernelRegularizer::toString);
        list(grid, "optimizer", g.optimizer(), Optimizer::specName);
        list(grid, "momentum", g.momentum(), m -> m);
        list(grid, "activation", g.activation(), ActivationFunction::specName);
        list(grid, "dropout", g.dropout(), d -> d);
        list(grid, "epochs", g.epochs(), e -> e);
        list(grid, "early_stopping_patience", g.earlyStoppingPatience(), p -> p);
        return root.toString();
    }

    private static <T> void list(ObjectNode grid, String key, List<T> values, Function<T, Object> spec) {
        ArrayNode array = grid.putArray(key);
        values.forEach(v -> array.add(JSON.valueToTree(spec.apply(v))));
    }
}
