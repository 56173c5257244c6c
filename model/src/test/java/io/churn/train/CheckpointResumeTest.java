package io.churn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.data.DataSource;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A run stopped after a checkpoint and run again goes on from it, to the losses of a run never stopped. */
class CheckpointResumeTest {

    static RunSpec run(Optimizer optimizer, double learningRate, int epochs, int patience) {
        return new RunSpec("banana", "rectangle", 3, 300, learningRate, 64, 0.1, KernelRegularizer.parse("l2:0.001"),
                KernelRegularizer.NONE, optimizer, 0, ActivationFunction.RELU, epochs, patience, 0.2, 0, 42);
    }

    /** Every metric of every epoch but its time, which no two trainings share. */
    static List<List<Object>> metrics(RunResult r) {
        return r.history().stream().map(m -> Arrays.<Object>asList(m.train(), m.test())).toList();
    }

    static RunResult complete(RunResult r) {
        assertEquals(RunStatus.COMPLETE, r.status(), r.error());
        return r;
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"FUSED", "DL4J"})
    void a_run_killed_after_a_checkpoint_resumes_from_it_to_the_uninterrupted_losses(Engine engine, @TempDir Path dir) {
        RunSpec run = run(Optimizer.ADAM, 0.01, 7, 0);
        RunResult uninterrupted = complete(Trainer.run(run, DataSource.LOCAL, engine));
        assertEquals(0, uninterrupted.resumedFromEpoch());

        FolderCheckpointStore store = new FolderCheckpointStore(dir);
        // checkpoints after epochs 2 and 4; the task dies in epoch 5, having trained epochs 3 and 4 since the last
        assertThrows(Trainer.CheckpointStoreException.class,
                () -> Trainer.run(run, DataSource.LOCAL, engine, new Checkpointing(new LostInEpoch(store, 5), 2)));
        assertEquals(4, loadQuietly(store, run).epochs());

        RunResult resumed = complete(Trainer.run(run, DataSource.LOCAL, engine, new Checkpointing(store, 2)));
        assertEquals(4, resumed.resumedFromEpoch());
        assertEquals(engine.specName(), resumed.engine());
        assertEquals(metrics(uninterrupted), metrics(resumed));
        // the restored epochs keep the times the first attempt measured
        assertEquals(loadQuietly(store, run).history().get(0).seconds(), resumed.history().get(0).seconds());
    }

    @Test
    void sgd_with_momentum_and_rmsprop_resume_their_optimizer_state(@TempDir Path dir) {
        for (Engine engine : List.of(Engine.FUSED, Engine.DL4J)) {
            for (RunSpec run : List.of(
                    new RunSpec("wine_quality_white", "rectangle", 3, 400, 0.05, 128, 0.0, KernelRegularizer.NONE,
                            KernelRegularizer.NONE, Optimizer.SGD, 0.9, ActivationFunction.TANH, 4, 0, 0.2, 0, 5),
                    new RunSpec("529_pollen", "rectangle", 2, 100, 0.01, 32, 0.0, KernelRegularizer.NONE,
                            KernelRegularizer.parse("l1:0.001"), Optimizer.RMSPROP, 0, ActivationFunction.ELU, 4, 0, 0.2,
                            0, 6))) {
                FolderCheckpointStore store = new FolderCheckpointStore(dir);
                RunResult uninterrupted = complete(Trainer.run(run, DataSource.LOCAL, engine));
                assertThrows(Trainer.CheckpointStoreException.class,
                        () -> Trainer.run(run, DataSource.LOCAL, engine, new Checkpointing(new LostInEpoch(store, 2), 1)));
                RunResult resumed = complete(Trainer.run(run, DataSource.LOCAL, engine, new Checkpointing(store, 1)));
                assertEquals(1, resumed.resumedFromEpoch(), engine + " " + run.optimizer());
                assertEquals(metrics(uninterrupted), metrics(resumed), engine + " " + run.optimizer());
            }
        }
    }

    @Test
    void early_stopping_counts_the_epochs_before_the_checkpoint(@TempDir Path dir) {
        // a learning rate this high stops improving at once
        RunSpec run = run(Optimizer.SGD, 5.0, 30, 2);
        RunResult uninterrupted = complete(Trainer.run(run, DataSource.LOCAL, Engine.FUSED));
        int n = uninterrupted.history().size();
        assertTrue(n < 30, "stopped early: " + n);
        FolderCheckpointStore store = new FolderCheckpointStore(dir);
        assertThrows(Trainer.CheckpointStoreException.class,
                () -> Trainer.run(run, DataSource.LOCAL, Engine.FUSED, new Checkpointing(new LostInEpoch(store, n - 1), 1)));
        RunResult resumed = complete(Trainer.run(run, DataSource.LOCAL, Engine.FUSED, new Checkpointing(store, 1)));
        assertEquals(n - 2, resumed.resumedFromEpoch());
        assertEquals(metrics(uninterrupted), metrics(resumed));
    }

    @Test
    void a_complete_run_saves_no_checkpoint_after_its_last_epoch(@TempDir Path dir) throws IOException {
        RunSpec run = run(Optimizer.ADAM, 0.01, 4, 0);
        FolderCheckpointStore store = new FolderCheckpointStore(dir);
        complete(Trainer.run(run, DataSource.LOCAL, Engine.FUSED, new Checkpointing(store, 2)));
        assertEquals(2, store.load(run.runId()).epochs(), "after epoch 2, not after the last");
    }

    @Test
    void a_torn_or_corrupt_checkpoint_is_never_loaded_and_the_run_starts_from_scratch(@TempDir Path dir)
            throws IOException {
        RunSpec run = run(Optimizer.ADAM, 0.01, 7, 0);
        RunResult uninterrupted = complete(Trainer.run(run, DataSource.LOCAL, Engine.FUSED));
        FolderCheckpointStore store = new FolderCheckpointStore(dir);
        assertThrows(Trainer.CheckpointStoreException.class,
                () -> Trainer.run(run, DataSource.LOCAL, Engine.FUSED, new Checkpointing(new LostInEpoch(store, 6), 3)));
        Path file = store.file(run.runId());
        byte[] whole = Files.readAllBytes(file);
        assertEquals(3, Checkpoint.read(new ByteArrayInputStream(whole)).epochs());

        byte[] flipped = whole.clone();
        flipped[whole.length / 2] ^= 0x10;
        byte[] truncated = Arrays.copyOf(whole, whole.length - 100);
        for (byte[] torn : List.of(flipped, truncated, new byte[0])) {
            Files.write(file, torn);
            // a crashed save's temporary file is never read, whatever it holds
            Files.write(dir.resolve("." + run.runId() + "12345.tmp"), whole);
            RunResult fromScratch = complete(Trainer.run(run, DataSource.LOCAL, Engine.FUSED,
                    new Checkpointing(store, 3)));
            assertEquals(0, fromScratch.resumedFromEpoch());
            assertEquals(metrics(uninterrupted), metrics(fromScratch));
            assertEquals(6, store.load(run.runId()).epochs(), "the run saved good checkpoints in its place");
        }
    }

    @Test
    void a_checkpoint_of_another_engine_is_not_loaded(@TempDir Path dir) throws IOException {
        RunSpec run = run(Optimizer.ADAM, 0.01, 3, 0);
        FolderCheckpointStore store = new FolderCheckpointStore(dir);
        assertThrows(Trainer.CheckpointStoreException.class,
                () -> Trainer.run(run, DataSource.LOCAL, Engine.FUSED, new Checkpointing(new LostInEpoch(store, 2), 1)));
        RunResult onDl4j = complete(Trainer.run(run, DataSource.LOCAL, Engine.DL4J, new Checkpointing(store, 1)));
        assertEquals(0, onDl4j.resumedFromEpoch());
        assertEquals(metrics(complete(Trainer.run(run, DataSource.LOCAL, Engine.DL4J))), metrics(onDl4j));
    }

    @Test
    void every_cut_and_every_changed_byte_of_a_checkpoint_file_is_refused() throws IOException {
        EpochMetrics m = new EpochMetrics(new Metrics.Evaluation(0.5, 0.7, 0.1, 0.3, 0.2, 0.05, 0.9, 0.8, 0.7, 0.3), new Metrics.Evaluation(0.6, null, 0.2, 0.4, 0.2, 0.05, 0.9, 0.8, 0.7, 0.3), 1.5);
        Checkpoint c = new Checkpoint("abc", "fused", List.of(m, m), new byte[] {1, 2, 3, 4, 5});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.write(out);
        byte[] whole = out.toByteArray();
        Checkpoint back = Checkpoint.read(new ByteArrayInputStream(whole));
        assertEquals(c.runId(), back.runId());
        assertEquals(c.engine(), back.engine());
        assertEquals(c.history(), back.history());
        assertArrayEquals(c.network(), back.network());
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThrows(Checkpoint.CorruptCheckpointException.class, () -> Checkpoint.read(new ByteArrayInputStream(cut)),
                    "cut to " + length);
        }
        for (int at = 0; at < whole.length; at++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] changed = whole.clone();
                changed[at] ^= (byte) (1 << bit);
                assertThrows(Checkpoint.CorruptCheckpointException.class,
                        () -> Checkpoint.read(new ByteArrayInputStream(changed)), "bit " + bit + " of byte " + at);
            }
        }
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertThrows(Checkpoint.CorruptCheckpointException.class, () -> Checkpoint.read(new ByteArrayInputStream(longer)));
        assertNotEquals(0, whole.length);
    }

    static Checkpoint loadQuietly(CheckpointStore store, RunSpec run) {
        try {
            return store.load(run.runId());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
