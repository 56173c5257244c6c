package io.churn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.data.DataSource;
import io.churn.data.Datasets;
import io.churn.data.Task;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import io.churn.network.Layout;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainerTest {

    static RunSpec run(String dataset, int depth, long size, int epochs) {
        return new RunSpec(dataset, "rectangle", depth, size, 0.01, 64, 0.0, KernelRegularizer.NONE, KernelRegularizer.NONE,
                Optimizer.ADAM, 0, ActivationFunction.RELU, epochs, 0, 0.2, 0, 42);
    }

    @Test
    void training_loss_falls_on_a_learnable_dataset() {
        RunResult r = Trainer.run(run("banana", 3, 300, 6), DataSource.LOCAL, Engine.DL4J);
        assertEquals(RunStatus.COMPLETE, r.status(), r.error());
        assertEquals(6, r.history().size());
        EpochMetrics first = r.history().get(0);
        EpochMetrics last = r.history().get(5);
        assertTrue(last.trainLoss() < first.trainLoss(), r.history().toString());
        assertTrue(last.trainAccuracy() > first.trainAccuracy(), r.history().toString());
        assertTrue(last.seconds() > 0);
        assertEquals("binary", r.task());
        assertEquals(r.numFreeParameters(),
                Trainer.build(r.run(), Trainer.layout(r.run(), Datasets.load("banana")), Task.BINARY).numParams());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rectangle", "trapezoid", "exponential", "wide_first", "wide_first_2x", "wide_first_4x",
            "wide_first_5x", "wide_first_8x", "wide_first_10x", "wide_first_16x", "wide_first_20x",
            "rectangle_residual", "trapezoid_residual", "exponential_residual", "wide_first_4x_residual"})
    void the_built_network_has_the_layouts_parameter_count(String shape) {
        RunSpec run = new RunSpec("wine_quality_white", shape, 5, 4096, 0.01, 64, 0.0, KernelRegularizer.NONE, KernelRegularizer.NONE,
                Optimizer.ADAM, 0, ActivationFunction.RELU, 1, 0, 0.2, 0, 42);
        Layout layout = Trainer.layout(run, Datasets.load("wine_quality_white"));
        ComputationGraph net = Trainer.build(run, layout, Task.MULTICLASS);
        assertEquals(layout.numFreeParameters(), net.numParams());
        long skips = Arrays.stream(net.getVertices()).filter(v -> v.getVertexName().startsWith("residual_")).count();
        long equalNeighbours = 0;
        for (int d = 1; d < layout.widths().size() - 1; d++) {
            if (layout.widths().get(d).equals(layout.widths().get(d - 1))) equalNeighbours++;
        }
        assertEquals(shape.endsWith("_residual") ? equalNeighbours : 0, skips, layout.widths().toString());
        if (shape.equals("rectangle_residual")) {
            assertEquals(3, skips);
        }
        net.close();
    }

    @Test
    void kernel_and_bias_regularizers_reach_every_dense_layer() {
        RunSpec run = new RunSpec("banana", "rectangle", 3, 300, 0.01, 64, 0.0, KernelRegularizer.parse("l2:0.01"),
                KernelRegularizer.parse("l1:0.001"), Optimizer.ADAM, 0, ActivationFunction.TANH, 1, 0, 0.2, 0, 42);
        ComputationGraph net = Trainer.build(run, Trainer.layout(run, Datasets.load("banana")), Task.BINARY);
        for (String layer : List.of("dense_0", "dense_1", "output")) {
            BaseLayer conf = (BaseLayer) net.getLayer(layer).conf().getLayer();
            assertEquals(List.of(new L2Regularization(0.01)), conf.getRegularization(), layer);
            assertEquals(List.of(new L1Regularization(0.001)), conf.getRegularizationBias(), layer);
        }
        assertEquals(Activation.TANH.getActivationFunction(),
                ((BaseLayer) net.getLayer("dense_0").conf().getLayer()).getActivationFn());
        net.close();
    }

    @Test
    void early_stopping_ends_the_run_after_patience_epochs_without_a_better_test_loss() {
        // a learning rate this high stops improving at once
        RunSpec run = new RunSpec("banana", "rectangle", 3, 300, 5.0, 64, 0.0, KernelRegularizer.NONE, KernelRegularizer.NONE,
                Optimizer.SGD, 0, ActivationFunction.RELU, 30, 2, 0.2, 0, 42);
        RunResult r = Trainer.run(run, DataSource.LOCAL, Engine.DL4J);
        assertEquals(RunStatus.COMPLETE, r.status(), r.error());
        int n = r.history().size();
        assertTrue(n < 30, "stopped early: " + n);
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        for (int e = 0; e < n; e++) {
            if (r.history().get(e).testLoss() < best) {
                best = r.history().get(e).testLoss();
                bestEpoch = e;
            }
        }
        assertEquals(n - 1 - 2, bestEpoch, "the last two epochs did not improve on the best");
    }

    @Test
    void auto_trains_every_dense_network_on_the_fused_engine_on_a_cpu() {
        RunResult small = Trainer.run(run("banana", 3, 300, 4), DataSource.LOCAL, Engine.AUTO);
        assertEquals(RunStatus.COMPLETE, small.status(), small.error());
        assertEquals("fused", small.engine());
        assertTrue(small.history().get(3).trainLoss() < small.history().get(0).trainLoss(), small.history().toString());
        RunSpec residual = new RunSpec("banana", "rectangle_residual", 4, 300, 0.01, 64, 0.0, KernelRegularizer.NONE,
                KernelRegularizer.NONE, Optimizer.ADAM, 0, ActivationFunction.RELU, 1, 0, 0.2, 0, 42);
        RunResult onAuto = Trainer.run(residual, DataSource.LOCAL, Engine.AUTO);
        assertEquals(RunStatus.COMPLETE, onAuto.status(), onAuto.error());
        assertEquals("fused", onAuto.engine());
        RunResult forced = Trainer.run(residual, DataSource.LOCAL, Engine.FUSED);
        assertEquals(RunStatus.COMPLETE, forced.status(), forced.error());
        assertEquals(metrics(onAuto), metrics(forced), "auto and fused train the same run the same way");
        RunSpec large = new RunSpec("splice", "rectangle", 3, 131_072, 0.01, 64, 0.0,
                KernelRegularizer.NONE, KernelRegularizer.NONE, Optimizer.ADAM, 0, ActivationFunction.RELU, 1, 0, 0.2,
                0, 42);
        assertEquals("fused", Trainer.run(large, DataSource.LOCAL, Engine.AUTO).engine());
    }

    private static List<Double> metrics(RunResult r) {
        return r.history().stream().map(EpochMetrics::trainLoss).toList();
    }

    @Test
    void a_regression_run_records_no_accuracy() {
        RunResult r = Trainer.run(run("529_pollen", 2, 100, 2), DataSource.LOCAL, Engine.DL4J);
        assertEquals(RunStatus.COMPLETE, r.status(), r.error());
        assertNull(r.history().get(0).trainAccuracy());
        assertEquals(r.history().get(0).trainLoss(), r.history().get(0).trainMeanSquaredError(), 1e-12);
    }

    @Test
    void a_run_that_cannot_be_built_is_a_failed_result_with_its_error() {
        RunResult r = Trainer.run(run("splice", 4, 10, 2), DataSource.LOCAL, Engine.DL4J);
        assertEquals(RunStatus.FAILED, r.status());
        assertNotNull(r.error());
        assertTrue(r.error().contains("no rectangle network of depth 4 has about 10 parameters"), r.error());
        assertTrue(r.history().isEmpty());
        assertEquals("splice", r.run().dataset());
    }

    /** What a listener was told, in order. */
    static final class Recorder implements EpochListener {
        final List<String> calls = new java.util.ArrayList<>();
        final List<EpochMetrics> epochs = new java.util.ArrayList<>();

        @Override
        public void started(RunSpec run, Layout layout, String engine) {
            calls.add("started " + engine + " " + layout.numFreeParameters());
        }

        @Override
        public void epoch(RunSpec run, int epoch, EpochMetrics metrics) {
            calls.add("epoch " + epoch);
            epochs.add(metrics);
        }

        @Override
        public void ended(RunSpec run) {
            calls.add("ended");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fused", "dl4j"})
    void a_listener_is_told_of_the_start_every_epoch_and_the_end(String engine) {
        Recorder listener = new Recorder();
        RunResult r = Trainer.run(run("banana", 2, 100, 3), DataSource.LOCAL, Engine.fromSpecName(engine), listener);
        assertEquals(RunStatus.COMPLETE, r.status(), r.error());
        assertEquals(List.of("started " + engine + " " + r.numFreeParameters(), "epoch 1", "epoch 2", "epoch 3",
                "ended"), listener.calls);
        assertEquals(r.history(), listener.epochs);
    }

    @Test
    void a_run_that_fails_before_training_still_ends() {
        Recorder listener = new Recorder();
        RunResult r = Trainer.run(run("no_such_dataset", 2, 100, 3), DataSource.LOCAL, Engine.AUTO, listener);
        assertEquals(RunStatus.FAILED, r.status());
        assertEquals(List.of("ended"), listener.calls);
    }
}
