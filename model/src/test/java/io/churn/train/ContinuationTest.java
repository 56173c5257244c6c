package io.churn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.data.DataSource;
import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.data.TrainTestSplit;
import io.churn.network.Layout;
import io.churn.pbt.PbtSpec;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run that goes on from another's state (a PBT member's generation) trains on the ordinary path:
 * two continued halves give the losses of one uninterrupted training, on either engine, and state
 * that does not fit fails the run by name.
 */
class ContinuationTest {

    static RunSpec run(int epochs) {
        return new RunSpec("banana", "rectangle", 3, 400, 0.01, 32, 0.0, KernelRegularizer.NONE,
                KernelRegularizer.NONE, Optimizer.ADAM, 0, ActivationFunction.TANH, epochs, 0, 0.2, 0, 21)
                .withDropout(0.1);
    }

    static List<List<Object>> metrics(List<EpochMetrics> history) {
        return history.stream().map(m -> List.<Object>of(m.train(), m.test())).toList();
    }

    static Continuation from(Checkpoint inherited, long orderSeed, int firstEpoch, List<Integer> widths) {
        return new Continuation(data -> PbtSpec.layout(run(4), widths, data), 99, orderSeed, inherited, firstEpoch);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"FUSED", "DL4J"})
    void two_continued_halves_train_as_one_run(Engine engine) {
        // straight: 4 epochs, split seed 99, order seed 7
        RunSpec straightRun = run(4);
        PreparedDataset data = Datasets.load("banana");
        Layout layout = Trainer.layout(straightRun, data);
        TrainTestSplit split = TrainTestSplit.of(data, straightRun.testSplit(), 0, 99);
        List<EpochMetrics> straight = new ArrayList<>();
        try (TrainableNetwork net = engine.create(straightRun, layout, data)) {
            EpochLoop loop = new EpochLoop(straightRun, net, split, 7);
            for (int e = 0; e < 4; e++) straight.add(loop.next());
        }

        // two generations of 2: the second inherits the first's state; epoch e's order seed is 7 + e
        List<Integer> numbered = new ArrayList<>();
        EpochListener listener = (run, epoch, metrics) -> numbered.add(epoch);
        Continuation.Continued first = Trainer.continueFrom(run(2), DataSource.LOCAL, engine, from(null, 7, 0, List.of()),
                listener);
        assertEquals(RunStatus.COMPLETE, first.result().status(), first.result().error());
        Checkpoint state = new Checkpoint(run(2).runId(), first.result().engine(), first.result().history(),
                first.state());
        Continuation.Continued second = Trainer.continueFrom(run(2), DataSource.LOCAL, engine,
                from(state, 9, 2, List.of()), listener);
        assertEquals(RunStatus.COMPLETE, second.result().status(), second.result().error());

        List<EpochMetrics> continued = new ArrayList<>(first.result().history());
        continued.addAll(second.result().history());
        assertEquals(metrics(straight), metrics(continued));
        assertEquals(List.of(1, 2, 3, 4), numbered, "listeners count the job's epochs");
        assertEquals(engine.engineName(layout), second.result().engine());
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"FUSED", "DL4J"})
    void inherited_state_that_does_not_fit_fails_the_run_by_name(Engine engine) {
        Continuation.Continued narrow = Trainer.continueFrom(run(1), DataSource.LOCAL, engine,
                from(null, 7, 0, List.of(8, 8)), EpochListener.NONE);
        assertEquals(RunStatus.COMPLETE, narrow.result().status(), narrow.result().error());
        Checkpoint state = new Checkpoint("donor", narrow.result().engine(), narrow.result().history(),
                narrow.state());
        Continuation.Continued wide = Trainer.continueFrom(run(1), DataSource.LOCAL, engine,
                from(state, 7, 1, List.of(16, 8)), EpochListener.NONE);
        assertEquals(RunStatus.FAILED, wide.result().status());
        assertTrue(wide.result().error().contains("the inherited weights of run donor (" + engine.specName()
                + ") do not fit this run's network"), wide.result().error());
        assertNull(wide.state());
    }
}
