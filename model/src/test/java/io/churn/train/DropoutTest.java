package io.churn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.data.TrainTestSplit;
import io.churn.network.Layout;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dropout in both engines: it changes training and nothing else, its masks follow from the run's
 * seed and step (so a resumed run trains on as one never stopped), and both engines drop the same
 * values in expectation, so a run trains to about the same losses on either.
 */
class DropoutTest {

    static RunSpec run(String shape, double dropout) {
        return new RunSpec("banana", shape, 4, 2000, 0.005, 32, 0.0, KernelRegularizer.NONE, KernelRegularizer.NONE,
                Optimizer.ADAM, 0, ActivationFunction.RELU, 6, 0, 0.2, 0, 9).withDropout(dropout);
    }

    /** Every metric of every epoch but its time. */
    static List<List<Object>> metrics(List<EpochMetrics> history) {
        return history.stream().map(m -> List.<Object>of(m.train(), m.test())).toList();
    }

    static List<EpochMetrics> train(Engine engine, RunSpec run) {
        RunResult r = Trainer.run(run, io.churn.data.DataSource.LOCAL, engine);
        assertEquals(RunStatus.COMPLETE, r.status(), r.error());
        return r.history();
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"FUSED", "DL4J"})
    void dropout_changes_training_and_the_same_seed_draws_the_same_masks(Engine engine) {
        List<EpochMetrics> without = train(engine, run("rectangle_residual", 0));
        List<EpochMetrics> with = train(engine, run("rectangle_residual", 0.4));
        assertNotEquals(metrics(without).get(0), metrics(with).get(0), "dropout reaches training");
        assertEquals(metrics(with), metrics(train(engine, run("rectangle_residual", 0.4))), "seeded masks");
        RunSpec reseeded = run("rectangle_residual", 0.4).withRepetition(0, 10);
        assertNotEquals(metrics(with), metrics(train(engine, reseeded)));
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"FUSED", "DL4J"})
    void a_run_resumed_from_its_state_draws_the_masks_it_would_have_drawn(Engine engine) throws Exception {
        RunSpec run = run("trapezoid", 0.3);
        PreparedDataset data = Datasets.load("banana");
        Layout layout = Trainer.layout(run, data);
        TrainTestSplit split = TrainTestSplit.of(data, run.testSplit(), 0, run.seed());
        List<List<Object>> straight;
        try (TrainableNetwork net = engine.create(run, layout, data)) {
            EpochLoop loop = new EpochLoop(run, net, split, 3);
            straight = metrics(List.of(loop.next(), loop.next(), loop.next(), loop.next()));
        }
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        List<List<Object>> resumed;
        try (TrainableNetwork net = engine.create(run, layout, data)) {
            EpochLoop loop = new EpochLoop(run, net, split, 3);
            resumed = new java.util.ArrayList<>(metrics(List.of(loop.next(), loop.next())));
            net.writeState(new DataOutputStream(state));
        }
        try (TrainableNetwork net = engine.create(run, layout, data)) {
            net.readState(new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
            EpochLoop loop = new EpochLoop(run, net, split, 3);
            loop.resume(2);
            resumed.addAll(metrics(List.of(loop.next(), loop.next())));
        }
        assertEquals(straight, resumed);
    }

    @Test
    void predictions_drop_nothing() {
        RunSpec run = run("rectangle", 0.5);
        PreparedDataset data = Datasets.load("banana");
        Layout layout = Trainer.layout(run, data);
        TrainTestSplit split = TrainTestSplit.of(data, run.testSplit(), 0, run.seed());
        ComputationGraph graph = Trainer.build(run.withDropout(0), layout, data.task());
        try (FusedMlp dropping = FusedMlp.copyOf(run, layout, data.task(), graph);
             FusedMlp plain = FusedMlp.copyOf(run.withDropout(0), layout, data.task(), graph)) {
            float[] x = split.testX();
            int rows = split.testRows();
            assertArrayEquals(plain.predict(x, rows), dropping.predict(x, rows), "the same weights, no dropout");
            assertArrayEquals(dropping.predict(x, rows), dropping.predict(x, rows), "no random draws");
        }
        graph.close();
    }

    @ParameterizedTest(name = "{0} dropout {1} on {2}")
    @CsvSource({
            "rectangle_residual, 0.2, BY_SHAPE",
            "trapezoid,          0.5, JVM_LOOPS",
            "wide_first_2x,      0.3, SAMPLE_MAJOR_BLAS",
    })
    void both_engines_train_a_run_with_dropout_to_about_the_same_losses(String shape, double dropout,
                                                                          ProductKernels kernels) {
        RunSpec run = run(shape, dropout);
        PreparedDataset data = Datasets.load("banana");
        Layout layout = Trainer.layout(run, data);
        TrainTestSplit split = TrainTestSplit.of(data, run.testSplit(), 0, run.seed());
        ComputationGraph graph = Trainer.build(run, layout, data.task());
        List<EpochMetrics> fused = FusedMlpTest.train(run, FusedMlp.copyOf(run, layout, data.task(), graph, kernels),
                split);
        List<EpochMetrics> dl4j = FusedMlpTest.train(run, new Dl4jNetwork(graph, data.nIn(), data.nOut()), split);
        List<EpochMetrics> none = FusedMlpTest.train(run.withDropout(0), FusedMlp.copyOf(run.withDropout(0), layout,
                data.task(), Trainer.build(run.withDropout(0), layout, data.task()), kernels), split);
        double fusedLoss = fused.get(fused.size() - 1).testLoss();
        double dl4jLoss = dl4j.get(dl4j.size() - 1).testLoss();
        double noneLoss = none.get(none.size() - 1).testLoss();
        String at = "test loss after " + run.epochs() + " epochs: fused " + fusedLoss + ", dl4j " + dl4jLoss
                + ", fused without dropout " + noneLoss;
        assertEquals(dl4jLoss, fusedLoss, 0.1 * dl4jLoss, at);
        assertNotEquals(noneLoss, fusedLoss, at);
        assertTrue(fused.stream().allMatch(m -> Double.isFinite(m.trainLoss())), at);
    }
}
