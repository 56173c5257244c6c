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
import org.junit.jupiter.api.Test;

class TrainerTest {

    static RunSpec run(String dataset, int depth, long size, int epochs) {
        return new RunSpec(dataset, "rectangle", depth, size, 0.01, 64, 0.0, KernelRegularizer.NONE,
                Optimizer.ADAM, 0, ActivationFunction.RELU, epochs, 0, 0.2, 0, 42);
    }

    @Test
    void training_loss_falls_on_a_learnable_dataset() {
        RunResult r = Trainer.run(run("banana", 3, 300, 6), DataSource.LOCAL);
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

    @Test
    void a_regression_run_records_no_accuracy() {
        RunResult r = Trainer.run(run("529_pollen", 2, 100, 2), DataSource.LOCAL);
        assertEquals(RunStatus.COMPLETE, r.status(), r.error());
        assertNull(r.history().get(0).trainAccuracy());
        assertEquals(r.history().get(0).trainLoss(), r.history().get(0).trainMeanSquaredError(), 1e-12);
    }

    @Test
    void a_run_that_cannot_be_built_is_a_failed_result_with_its_error() {
        RunResult r = Trainer.run(run("splice", 4, 10, 2), DataSource.LOCAL);
        assertEquals(RunStatus.FAILED, r.status());
        assertNotNull(r.error());
        assertTrue(r.error().contains("no rectangle network of depth 4 has about 10 parameters"), r.error());
        assertTrue(r.history().isEmpty());
        assertEquals("splice", r.run().dataset());
    }
}
