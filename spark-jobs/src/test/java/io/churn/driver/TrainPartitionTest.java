package io.churn.driver;

import io.churn.SqlArrays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.sink.ResultDataset;
import io.churn.TestDatabase;
import io.churn.data.Datasets;
import io.churn.sink.ClaimRules;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.ParquetExport;
import io.churn.sink.RunStore;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import io.churn.train.Checkpointing;
import io.churn.train.Engine;
import io.churn.train.RunStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainPartitionTest {

    @TempDir
    static Path work;
    static DatabaseSettings db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(TrainPartitionTest.class);
    }

    static RunSpec run(String dataset, long seed) {
        return new RunSpec(dataset, "rectangle", 2, 64, 0.01, 128, 0.0, KernelRegularizer.NONE, KernelRegularizer.NONE, Optimizer.ADAM, 0,
                ActivationFunction.RELU, 2, 0, 0.2, 0, seed);
    }

    /**
     * Checks both sinks hold each run exactly once: the ledger rows, and the Parquet export made
     * from them; returns the runs' statuses in Parquet.
     */
    static Map<String, String> assertExactlyOnce(String sweep, List<RunSpec> runs) throws Exception {
        Set<String> ids = runs.stream().map(RunSpec::runId).collect(Collectors.toSet());
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(distinct run_id) from run join sweep_run"
                     + " using (run_id) where sweep = '" + sweep + "'")) {
            rs.next();
            assertEquals(runs.size(), rs.getInt(1));
            assertEquals(runs.size(), rs.getInt(2));
        }
        String results = work.resolve("results").toUri().toString();
        assertEquals(runs.size(), ParquetExport.export(db, sweep, results));
        Map<String, String> status = new HashMap<>();
        for (Row r : SparkTestSession.get().read().parquet(ResultDataset.RUNS.uri(results)).where("sweep = '" + sweep + "'").collectAsList()) {
            assertEquals(null, status.put(r.getString(r.fieldIndex("run_id")), r.getString(r.fieldIndex("status"))));
        }
        assertEquals(ids, status.keySet());
        return status;
    }

    static void register(String sweep, List<RunSpec> runs) throws Exception {
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep(sweep, "{}", runs);
        }
    }

    /** The sinks of a sweep without checkpoints or live view. */
    static RunSinks sinks() {
        return new RunSinks(null, Checkpointing.NONE, false);
    }

    /** What a sweep command claims by default: queued runs, and runs failed before now. */
    static ClaimRules rules() {
        return new ClaimRules("tests#" + UUID.randomUUID(), Set.of(RunStatus.QUEUED, RunStatus.FAILED), Instant.now(),
                ClaimRules.DEFAULT_LEASE, ClaimRules.DEFAULT_MAX_ATTEMPTS);
    }

    /** Trains one partition on the shared local[2] Spark. */
    static List<RunOutcome> train(List<RunSpec> partition) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        return jsc.parallelize(List.of(partition), 1)
                .flatMap(new TrainPartition(db, rules(), TimeBudget.NONE, Engine.AUTO, Checkpointing.NONE, sinks()))
                .collect();
    }

    @Test
    void a_failing_run_is_recorded_with_its_error_and_the_partition_goes_on() throws Exception {
        RunSpec bad = run("no_such_dataset", 1);
        RunSpec good = run("banana", 1);
        register("throws", List.of(bad, good));
        List<RunOutcome> outcomes = train(List.of(bad, good));
        assertEquals(Map.of(bad.runId(), "failed", good.runId(), "complete"),
                assertExactlyOnce("throws", List.of(bad, good)));
        assertEquals(List.of(RunStatus.FAILED, RunStatus.COMPLETE), outcomes.stream().map(RunOutcome::status).toList());
        assertTrue(outcomes.get(0).error().contains("not a known dataset"), outcomes.get(0).error());
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select run_id, status, error, histories from run"
                     + " where run_id in ('" + bad.runId() + "', '" + good.runId() + "') order by status")) {
            rs.next();
            assertEquals(good.runId(), rs.getString(1));
            assertEquals("complete", rs.getString(2));
            assertEquals(2, SqlArrays.history(rs, "train_loss").size());
            rs.next();
            assertEquals(bad.runId(), rs.getString(1));
            assertEquals("failed", rs.getString(2));
            assertTrue(rs.getString(3).contains("'no_such_dataset' is not a known dataset"), rs.getString(3));
        }
        // a trained run records the digest of its dataset; one that never read its dataset has none
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select run_id, dataset_sha256, os_arch, spark_version from run"
                     + " where run_id in ('" + bad.runId() + "', '" + good.runId() + "')")) {
            while (rs.next()) {
                boolean trained = rs.getString(1).equals(good.runId());
                assertEquals(trained ? Datasets.load("banana").sha256() : null, rs.getString(2));
                assertEquals(System.getProperty("os.arch"), rs.getString(3));
                assertEquals(SparkTestSession.get().version(), rs.getString(4));
            }
        }
    }

    @Test
    void a_task_that_dies_mid_partition_is_retried_without_duplicates_or_losses() throws Exception {
        List<RunSpec> runs = List.of(run("banana", 7), run("529_pollen", 7), run("banana", 8));
        register("retried", runs);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        // the first attempt writes two results and dies; Spark's retry finds them complete
        List<RunOutcome> outcomes = jsc.parallelize(List.of(runs), 1).flatMap(new TrainPartition(db, rules(),
                TimeBudget.NONE, Engine.AUTO, Checkpointing.NONE, new TaskFaults.LostAfterResults(sinks(), 2))).collect();
        assertEquals(List.of(runs.get(2).runId()), outcomes.stream().map(RunOutcome::runId).toList());
        assertEquals(Set.of("complete"), Set.copyOf(assertExactlyOnce("retried", runs).values()));
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), max(attempts), min(status), max(status) from run"
                     + " where run_id in ('" + runs.get(0).runId() + "', '" + runs.get(1).runId() + "', '"
                     + runs.get(2).runId() + "')")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
            assertEquals(1, rs.getInt(2));
            assertEquals("complete", rs.getString(3));
            assertEquals("complete", rs.getString(4));
        }
    }

    @Test
    void a_diverging_run_is_diverged_with_its_history_up_to_that_epoch_and_the_partition_goes_on() throws Exception {
        // far beyond what a spec allows: the weights overflow and the loss becomes NaN
        RunSpec diverging = new RunSpec("wine_quality_white", "rectangle", 3, 256, 1e20, 16, 0.0, KernelRegularizer.NONE,
                KernelRegularizer.NONE, Optimizer.SGD, 0, ActivationFunction.RELU, 5, 0, 0.2, 0, 3);
        RunSpec good = run("banana", 2);
        register("diverges", List.of(diverging, good));
        List<RunOutcome> outcomes = train(List.of(diverging, good));
        assertEquals(List.of(RunStatus.DIVERGED, RunStatus.COMPLETE),
                outcomes.stream().map(RunOutcome::status).toList());
        assertTrue(outcomes.get(0).error().startsWith("training diverged: train loss "), outcomes.get(0).error());
        assertEquals(Map.of(diverging.runId(), "diverged", good.runId(), "complete"),
                assertExactlyOnce("diverges", List.of(diverging, good)));
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select histories, error from run where run_id = '"
                     + diverging.runId() + "'")) {
            rs.next();
            List<Double> loss = SqlArrays.history(rs, "train_loss");
            assertTrue(loss.size() < 5, loss.toString());
            assertFalse(Double.isFinite(loss.get(loss.size() - 1)), loss.toString());
            assertTrue(loss.subList(0, loss.size() - 1).stream().allMatch(Double::isFinite), loss.toString());
            assertEquals(loss.size(), SqlArrays.history(rs, "test_hinge").size(), "every metric ends there too");
            assertTrue(rs.getString(2).contains(" after epoch " + loss.size() + " "), rs.getString(2));
        }
    }
}
