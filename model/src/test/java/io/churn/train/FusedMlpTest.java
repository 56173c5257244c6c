package io.churn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.data.TrainTestSplit;
import io.churn.network.Layout;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fused engine against DL4J: same initial weights, same data order, the same losses epoch by epoch. */
class FusedMlpTest {

    @ParameterizedTest(name = "{0} {1} momentum {2} {3} {4} {5}")
    @CsvSource({
            "banana,             ADAM,    0,   RELU,    none,        0.01",
            "banana,             SGD,     0,   TANH,    l2:0.001,    0.1",
            "banana,             SGD,     0.9, RELU,    none,        0.02",
            "banana,             RMSPROP, 0,   ELU,     l1:0.0001,   0.005",
            "wine_quality_white, ADAM,    0,   RELU,    l1l2:1e-5:1e-4, 0.005",
            "wine_quality_white, RMSPROP, 0,   SIGMOID, none,        0.01",
            "wine_quality_white, SGD,     0.5, SWISH,   none,        0.05",
            "529_pollen,         ADAM,    0,   RELU,    none,        0.01",
            "529_pollen,         SGD,     0,   LEAKY_RELU, l2:0.01,  0.5",
            "529_pollen,         ADAM,    0,   SELU,    none,        0.002",
            "banana,             ADAM,    0,   SOFTPLUS, l2:0.001,   0.01",
            "wine_quality_white, SGD,     0.9, SOFTSIGN, none,       0.05",
            "529_pollen,         RMSPROP, 0,   HARD_SIGMOID, none,   0.005",
            "banana,             SGD,     0,   LINEAR,  l1:0.0001,   0.01",
    })
    void fused_training_follows_dl4j(String dataset, Optimizer optimizer, double momentum, ActivationFunction activation,
                                     String regularizer, double learningRate) {
        RunSpec run = new RunSpec(dataset, "trapezoid", 4, 600, learningRate, 32, 0.0,
                KernelRegularizer.parse(regularizer), KernelRegularizer.parse(regularizer), optimizer,
                optimizer == Optimizer.SGD ? momentum : 0, activation, 3, 0, 0.2, 0, 5);
        assertFollowsDl4j(run, ProductKernels.BY_SHAPE);
    }

    @ParameterizedTest(name = "{0} {1} depth {2} size {3} {4} {5} on {6}")
    @CsvSource({
            "banana,             rectangle_residual,     4, 600,   RELU,       ADAM,    BLAS",
            "banana,             rectangle_residual,     4, 600,   TANH,       SGD,     JVM_LOOPS",
            "wine_quality_white, wide_first_2x_residual, 5, 900,   ELU,        RMSPROP, JVM_LOOPS",
            "wine_quality_white, wide_first_2x_residual, 5, 900,   SWISH,      ADAM,    BLAS",
            "529_pollen,         trapezoid_residual,     4, 600,   SELU,       ADAM,    BLAS",
            "529_pollen,         exponential,            4, 600,   SIGMOID,    SGD,     BLAS",
            "banana,             wide_first_4x,          4, 800,   LEAKY_RELU, RMSPROP, BLAS",
            "wine_quality_white, rectangle_residual,     4, 20000, RELU,       ADAM,    BY_SHAPE",
            "banana,             trapezoid_residual,     4, 600,   HARD_SIGMOID, ADAM,  JVM_LOOPS",
            "529_pollen,         rectangle_residual,     4, 600,   SOFTPLUS,   RMSPROP, BLAS",
            "banana,             rectangle_residual,     4, 600,   RELU,       ADAM,    SAMPLE_MAJOR_BLAS",
            "wine_quality_white, wide_first_2x_residual, 5, 900,   ELU,        SGD,     SAMPLE_MAJOR_BLAS",
            "529_pollen,         trapezoid,              4, 600,   SWISH,      RMSPROP, SAMPLE_MAJOR_BLAS",
            "wine_quality_white, exponential,            3, 900,   TANH,       ADAM,    SAMPLE_MAJOR_BLAS",
            "wine_quality_white, rectangle,              3, 75000, RELU,       SGD,     SAMPLE_MAJOR_BLAS",
            "529_pollen,         rectangle_residual,     4, 150000, TANH,      SGD,     BY_SHAPE",
    })
    void fused_training_follows_dl4j_for_every_shape_on_either_kernel(String dataset, String shape, int depth,
                                                                      long size, ActivationFunction activation,
                                                                      Optimizer optimizer, ProductKernels kernels) {
        RunSpec run = new RunSpec(dataset, shape, depth, size, optimizer == Optimizer.SGD ? 0.05 : 0.005, 32, 0.0,
                KernelRegularizer.parse("l2:0.0001"), KernelRegularizer.NONE, optimizer, 0, activation, 3, 0, 0.2, 0,
                5);
        assertFollowsDl4j(run, kernels);
    }

    @Test
    void the_by_shape_rule_runs_networks_with_wide_layers_on_large_minibatches_sample_major() {
        int wide = ProductKernels.SAMPLE_MAJOR_MIN_WIDTH;
        int batch = ProductKernels.SAMPLE_MAJOR_MIN_BATCH;
        assertTrue(ProductKernels.BY_SHAPE.sampleMajor(new int[] {wide, wide, 4}, batch));
        assertTrue(ProductKernels.BY_SHAPE.sampleMajor(new int[] {8, wide, 1}, 256));
        assertTrue(!ProductKernels.BY_SHAPE.sampleMajor(new int[] {wide, wide, 4}, batch - 1), "small minibatches");
        assertTrue(!ProductKernels.BY_SHAPE.sampleMajor(new int[] {wide - 1, wide - 1, wide * 4}, 256),
                "the output layer's width does not count");
        assertTrue(ProductKernels.BY_SHAPE.products(26, wide, 256, true) instanceof SampleMajorBlasProducts);
        assertTrue(!ProductKernels.BLAS.sampleMajor(new int[] {wide * 4, 4}, 256));
        assertTrue(ProductKernels.SAMPLE_MAJOR_BLAS.sampleMajor(new int[] {2, 1}, 1));
    }

    @Test
    void the_by_shape_rule_puts_large_products_on_blas_and_small_ones_on_jvm_loops() {
        assertTrue(ProductKernels.BY_SHAPE.products(130, 130, 32, false) instanceof BlasProducts);
        assertTrue(ProductKernels.BY_SHAPE.products(26, 1008, 256, false) instanceof BlasProducts);
        assertTrue(ProductKernels.BY_SHAPE.products(2, 1008, 256, false) instanceof JvmProducts);
        assertTrue(ProductKernels.BY_SHAPE.products(1008, 1, 256, false) instanceof JvmProducts);
        assertTrue(ProductKernels.BY_SHAPE.products(64, 4, 32, false) instanceof JvmProducts);
        LayerProducts output = ProductKernels.BY_SHAPE.products(1008, 4, 256, false);
        assertTrue(output instanceof ProductKernels.Split split && split.activations() instanceof JvmProducts
                && split.weights() instanceof BlasProducts, output.toString());
    }

    @Test
    void closing_networks_frees_their_native_memory() {
        RunSpec run = bananaRun("rectangle_residual", 4, 20_000, 256);
        PreparedDataset data = Datasets.load("banana");
        Layout layout = Trainer.layout(run, data);
        int rows = 300;
        float[] x = firstRows(data.x(), rows, data.nIn());
        float[] y = firstRows(data.y(), rows, data.nOut());
        long before = Pointer.totalBytes();
        long perNetwork = 0;
        for (int k = 0; k < 300; k++) {
            try (FusedMlp net = FusedMlp.create(run, layout, data.task(), ProductKernels.BLAS)) {
                net.fit(x, y, rows);
                net.predict(x, rows);
                perNetwork = Math.max(perNetwork, Pointer.totalBytes() - before);
            }
        }
        assertTrue(perNetwork > 0, "the network used native memory");
        long left = Pointer.totalBytes() - before;
        assertTrue(left < perNetwork, left + " bytes left after 300 networks of " + perNetwork + " bytes each");
    }

    @Test
    void a_sample_major_network_predicts_what_it_was_trained_to_in_chunks_of_any_size() {
        // 1,100 rows: one full prediction chunk and a short one, after minibatches of 256
        RunSpec run = bananaRun("rectangle", 3, 70_000, 256);
        PreparedDataset data = Datasets.load("banana");
        Layout layout = Trainer.layout(run, data);
        int rows = 1100;
        float[] x = firstRows(data.x(), rows, data.nIn());
        float[] y = firstRows(data.y(), rows, data.nOut());
        try (FusedMlp sample = FusedMlp.create(run, layout, data.task(), ProductKernels.SAMPLE_MAJOR_BLAS);
             FusedMlp feature = FusedMlp.create(run, layout, data.task(), ProductKernels.BLAS)) {
            for (FusedMlp net : List.of(sample, feature)) {
                net.fit(x, y, 256);
                net.fit(java.util.Arrays.copyOfRange(x, 256 * data.nIn(), 300 * data.nIn()),
                        java.util.Arrays.copyOfRange(y, 256 * data.nOut(), 300 * data.nOut()), 44);
            }
            float[] p = sample.predict(x, rows);
            float[] q = feature.predict(x, rows);
            assertEquals(rows * data.nOut(), p.length);
            for (int k = 0; k < p.length; k++) {
                assertEquals(q[k], p[k], 1e-4, "prediction " + k);
            }
        }
    }

    @Test
    void blas_stays_on_one_thread_beside_dl4j() {
        RunSpec run = bananaRun("rectangle", 3, 2_000, 32);
        PreparedDataset data = Datasets.load("banana");
        Layout layout = Trainer.layout(run, data);
        float[] x = firstRows(data.x(), 64, data.nIn());
        float[] y = firstRows(data.y(), 64, data.nOut());
        try (FusedMlp fused = FusedMlp.create(run, layout, data.task(), ProductKernels.BLAS);
             Dl4jNetwork dl4j = new Dl4jNetwork(Trainer.build(run, layout, data.task()), data.nIn(), data.nOut())) {
            dl4j.fit(x, y, 64);
            fused.fit(x, y, 64);
            dl4j.fit(x, y, 64);
            assertEquals(1, BlasProducts.threads());
        }
    }

    private static RunSpec bananaRun(String shape, int depth, long size, int batch) {
        return new RunSpec("banana", shape, depth, size, 0.01, batch, 0.0, KernelRegularizer.NONE, KernelRegularizer.NONE,
                Optimizer.ADAM, 0, ActivationFunction.RELU, 1, 0, 0.2, 0, 5);
    }

    private static float[] firstRows(float[] values, int rows, int columns) {
        return java.util.Arrays.copyOf(values, rows * columns);
    }

    private static void assertFollowsDl4j(RunSpec run, ProductKernels kernels) {
        String dataset = run.dataset();
        PreparedDataset data = Datasets.load(dataset);
        Layout layout = Trainer.layout(run, data);
        TrainTestSplit split = TrainTestSplit.of(data, 0.2, 0, 5);

        // step by step: after 30 minibatches the parameters agree to float rounding
        ComputationGraph graph = Trainer.build(run, layout, data.task());
        FusedMlp fusedNet = FusedMlp.copyOf(run, layout, data.task(), graph, kernels);
        int batch = 32;
        for (int step = 0; step < 30; step++) {
            float[] x = java.util.Arrays.copyOfRange(split.trainX(), step * batch * data.nIn(),
                    (step + 1) * batch * data.nIn());
            float[] y = java.util.Arrays.copyOfRange(split.trainY(), step * batch * data.nOut(),
                    (step + 1) * batch * data.nOut());
            fusedNet.fit(x, y, batch);
            new Dl4jNetwork(graph, data.nIn(), data.nOut()).fit(x, y, batch);
        }
        ComputationGraph fusedAsGraph = Trainer.build(run, layout, data.task());
        fusedNet.copyTo(fusedAsGraph);
        fusedNet.close();
        for (int l = 0; l < layout.widths().size(); l++) {
            String name = l == layout.widths().size() - 1 ? "output" : "dense_" + l;
            for (String param : List.of("W", "b")) {
                float[] d = graph.getLayer(name).getParam(param).dup('c').data().asFloat();
                float[] f = fusedAsGraph.getLayer(name).getParam(param).dup('c').data().asFloat();
                double scale = 0;
                double worst = 0;
                for (int k = 0; k < d.length; k++) {
                    scale = Math.max(scale, Math.abs(d[k]));
                    worst = Math.max(worst, Math.abs(d[k] - f[k]));
                }
                assertTrue(worst <= 1e-4 * scale + 1e-6, name + "." + param + " differs by " + worst + " of " + scale);
            }
        }
        graph.close();
        fusedAsGraph.close();

        // epoch by epoch: rounding differences grow with training, the losses stay together
        ComputationGraph fresh = Trainer.build(run, layout, data.task());
        List<EpochMetrics> fused = train(run, FusedMlp.copyOf(run, layout, data.task(), fresh, kernels), split);
        List<EpochMetrics> dl4j = train(run, new Dl4jNetwork(fresh, data.nIn(), data.nOut()), split);
        for (int e = 0; e < 3; e++) {
            EpochMetrics f = fused.get(e);
            EpochMetrics d = dl4j.get(e);
            String at = "epoch " + (e + 1) + ": fused " + f + " dl4j " + d;
            assertEquals(d.trainLoss(), f.trainLoss(), 0.05 * Math.abs(d.trainLoss()), at);
            assertEquals(d.testLoss(), f.testLoss(), 0.05 * Math.abs(d.testLoss()), at);
        }
    }

    static List<EpochMetrics> train(RunSpec run, TrainableNetwork net, TrainTestSplit split) {
        EpochLoop loop = new EpochLoop(run, net, split, 77);
        List<EpochMetrics> history = new ArrayList<>();
        for (int e = 0; e < run.epochs(); e++) history.add(loop.next());
        net.close();
        return history;
    }
}
