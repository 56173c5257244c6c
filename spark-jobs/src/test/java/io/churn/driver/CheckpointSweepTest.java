package io.churn.driver;

import io.churn.SqlArrays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.settings.SweepFile;
import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.data.DataSource;
import io.churn.hadoop.HadoopCheckpointStore;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.RunStore;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import io.churn.spec.SpecParser;
import io.churn.train.Checkpointing;
import io.churn.train.Engine;
import io.churn.train.LostInEpoch;
import io.churn.train.EpochMetrics;
import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import io.churn.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints in sweeps on local[2] with a real PostgreSQL: a task lost in the middle of a run is
 * retried from the run's checkpoint, a sweep run again goes on from the checkpoints its runs left,
 * and complete runs' checkpoints are removed unless kept.
 */
class CheckpointSweepTest {

    static final Set<RunStatus> TRAINABLE = Set.of(RunStatus.QUEUED, RunStatus.FAILED, RunStatus.RUNNING);

    @TempDir
    static Path work;
    static DatabaseSettings db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(CheckpointSweepTest.class);
    }

    static RunSpec run(String dataset, int epochs, long seed) {
        return new RunSpec(dataset, "rectangle", 2, 64, 0.01, 64, 0.0, KernelRegularizer.NONE, KernelRegularizer.NONE,
                Optimizer.ADAM, 0, ActivationFunction.RELU, epochs, 0, 0.2, 0, seed);
    }

    /** Train and test loss of every epoch, as a run trained here without interruption has them. */
    static List<List<Double>> uninterrupted(RunSpec run) {
        RunResult r = Trainer.run(run, DataSource.LOCAL, Engine.AUTO);
        return List.of(SqlArrays.asStored(r.history().stream().map(EpochMetrics::trainLoss).toList()),
                SqlArrays.asStored(r.history().stream().map(EpochMetrics::testLoss).toList()));
    }

    /** Train and test loss of every epoch, as the ledger has them; the run must be complete. */
    static List<List<Double>> stored(RunSpec run) throws Exception {
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement(
                "select status, error, histories from run where run_id = ?")) {
            p.setString(1, run.runId());
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("complete", rs.getString(1), rs.getString(2));
                return List.of(SqlArrays.history(rs, "train_loss"), SqlArrays.history(rs, "test_loss"));
            }
        }
    }

    static int attempts(RunSpec run) throws Exception {
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement(
                "select attempts from run where run_id = ?")) {
            p.setString(1, run.runId());
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                return rs.getInt(1);
            }
        }
    }

    static List<String> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    static SweepDriver.Summary sweep(String json) throws Exception {
        SweepFile file = SweepFile.parse(json, "spec.json");
        SweepPlan plan = SweepPlan.of(file.spec(), "spec.json");
        return SweepDriver.run(SparkTestSession.get(), plan, file.settings(), json, db, work.resolve("results").toUri().toString(), 0,
                TRAINABLE, Duration.ofSeconds(1), new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void a_task_lost_in_the_middle_of_a_run_is_retried_from_the_runs_checkpoint() throws Exception {
        List<RunSpec> runs = List.of(run("banana", 7, 21), run("529_pollen", 7, 21));
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("lost", "{}", runs);
        }
        Path folder = work.resolve("lost-checkpoints");
        HadoopCheckpointStore store = new HadoopCheckpointStore(folder.toUri().toString());
        store.createDirectory();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        // the first attempt saves the first run's checkpoints after epochs 2 and 4, then dies in epoch 6
        Checkpointing checkpoints = new Checkpointing(new TaskFaults.LostInEpochOnFirstAttempt(store, 5), 2);
        List<RunOutcome> outcomes = jsc.parallelize(List.of(runs), 1)
                .flatMap(new TrainPartition(db, TrainPartitionTest.rules(), TimeBudget.NONE, Engine.AUTO, checkpoints,
                        new RunSinks(null, checkpoints, false)))
                .collect();

        assertEquals(List.of(4, 0), outcomes.stream().map(RunOutcome::resumedFromEpoch).toList());
        assertEquals(List.of(RunStatus.COMPLETE, RunStatus.COMPLETE), outcomes.stream().map(RunOutcome::status).toList());
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement("select count(*),"
                + " count(distinct run_id), min(status), max(status) from run join sweep_run using (run_id)"
                + " where sweep = 'lost'"); ResultSet rs = p.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(List.of(2, 2, "complete", "complete"),
                    List.of(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getString(4)), "each run once, complete");
        }
        assertEquals(2, attempts(runs.get(0)));
        assertEquals(1, attempts(runs.get(1)));
        for (RunSpec run : runs) {
            assertEquals(uninterrupted(run), stored(run), "the losses of a run never interrupted");
        }
        assertEquals(List.of(), files(folder), "complete runs' checkpoints are removed");
    }

    @Test
    void a_sweep_run_again_goes_on_from_the_checkpoints_its_runs_left() throws Exception {
        Path folder = work.resolve("again-checkpoints");
        String spec = """
                { "name": "again", "seed": 5, "checkpoint_epochs": 2, "checkpoint_dir": "%s",
                  "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2], "size": [64, 128],
                            "learning_rate": [0.01], "batch_size": [64], "epochs": [5] } }
                """.formatted(folder.toUri());
        RunSpec interrupted = SweepPlan.of(SpecParser.parse(spec, "spec.json"), "spec.json").runs().get(1);
        // as a killed application leaves it: a checkpoint after epoch 2, the run never finished
        HadoopCheckpointStore store = new HadoopCheckpointStore(folder.toUri().toString());
        store.createDirectory();
        assertThrows(Trainer.CheckpointStoreException.class,
                () -> Trainer.run(interrupted, DataSource.LOCAL, Engine.AUTO, new Checkpointing(new LostInEpoch(store, 4), 2)));
        assertEquals(2, store.load(interrupted.runId()).epochs());

        SweepDriver.Summary s = sweep(spec);
        assertEquals(2, s.trained());
        assertEquals(0, s.failed());
        assertEquals(1, s.resumed());
        assertEquals(uninterrupted(interrupted), stored(interrupted));
        assertEquals(List.of(), files(folder), "complete runs' checkpoints are removed");
    }

    @Test
    void keep_checkpoints_keeps_a_complete_runs_last_checkpoint() throws Exception {
        Path folder = work.resolve("kept-checkpoints");
        String spec = """
                { "name": "kept", "seed": 6, "checkpoint_epochs": 2, "checkpoint_dir": "%s", "keep_checkpoints": true,
                  "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2], "size": [64],
                            "learning_rate": [0.01], "batch_size": [64], "epochs": [5] } }
                """.formatted(folder.toUri());
        SweepDriver.Summary s = sweep(spec);
        assertEquals(1, s.trained());
        assertEquals(0, s.resumed());
        RunSpec run = SweepPlan.of(SpecParser.parse(spec, "spec.json"), "spec.json").runs().get(0);
        HadoopCheckpointStore store = new HadoopCheckpointStore(folder.toUri().toString());
        assertEquals(4, store.load(run.runId()).epochs());
        assertTrue(files(folder).contains(run.runId() + ".ckpt"), files(folder).toString());
        store.remove(run.runId());
        assertNull(store.load(run.runId()));
    }
}
