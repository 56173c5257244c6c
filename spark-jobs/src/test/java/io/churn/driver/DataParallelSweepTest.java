package io.churn.driver;

import io.churn.SqlArrays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.settings.SweepFile;
import io.churn.SparkTestSession;
import io.churn.sink.ResultDataset;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.RunStore;
import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import io.churn.spec.SpecParser;
import io.churn.train.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel runs on local[2], end to end: trained across both task slots with DL4J's parameter
 * averaging, recorded in a real PostgreSQL and exported to Parquet like any other run.
 */
class DataParallelSweepTest {

    /** One small run, trained data-parallel. */
    static final String ALWAYS = """
            { "name": "dp", "seed": 3, "data_parallel": "always",
              "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2], "size": [64],
                        "learning_rate": [0.01], "batch_size": [64], "epochs": [3] } }
            """;
    /**
     * Two budgets on banana (2 inputs, 4,240 training rows, 2 epochs): about 65 parameters cost 0.55
     * million, about 513 cost 4.4 million; runs of a million and more train data-parallel.
     */
    static final String MIXED = """
            { "name": "mixed", "seed": 4, "data_parallel": 1000000,
              "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2], "size": [64, 512],
                        "learning_rate": [0.01, 0.003], "batch_size": [128], "epochs": [2] } }
            """;
    static final Set<RunStatus> TRAINABLE = Set.of(RunStatus.QUEUED, RunStatus.FAILED, RunStatus.RUNNING);

    @TempDir
    static Path work;
    static DatabaseSettings db;
    static SparkSession spark;
    static String results;
    static SweepDriver.Summary always;
    static SweepDriver.Summary mixed;

    @BeforeAll
    static void runTheSweeps() throws Exception {
        db = TestDatabase.create(DataParallelSweepTest.class);
        spark = SparkTestSession.get();
        results = work.resolve("results").toUri().toString();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        SweepFile alwaysFile = SweepFile.parse(ALWAYS, "dp.json");
        always = SweepDriver.run(spark, SweepPlan.of(alwaysFile.spec(), "dp.json"), alwaysFile.settings(), ALWAYS, db,
                results, 0, TRAINABLE, Duration.ofSeconds(1), quiet);
        SweepFile mixedFile = SweepFile.parse(MIXED, "mixed.json");
        mixed = SweepDriver.run(spark, SweepPlan.of(mixedFile.spec(), "mixed.json"), mixedFile.settings(), MIXED, db,
                results, 0, TRAINABLE, Duration.ofSeconds(1), quiet);
    }

    /** run_id -> column -> value, for the sweep's runs in PostgreSQL. */
    static Map<String, Map<String, Object>> postgres(String sweep) throws Exception {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select r.* from run r join sweep_run w using (run_id) where w.sweep = '"
                     + sweep + "'")) {
            while (rs.next()) {
                Map<String, Object> m = new HashMap<>();
                for (String column : List.of("status", "error", "engine", "executor", "size", "epochs")) {
                    m.put(column, rs.getObject(column));
                }
                for (String column : List.of("train_loss", "test_loss", "test_accuracy", "epoch_seconds")) {
                    m.put(column, SqlArrays.history(rs, column));
                }
                rows.put(rs.getString("run_id"), m);
            }
        }
        return rows;
    }

    static Map<String, Row> parquet(String sweep) {
        Map<String, Row> rows = new HashMap<>();
        for (Row r : spark.read().parquet(ResultDataset.RUNS.uri(results)).where("sweep = '" + sweep + "'").collectAsList()) {
            assertEquals(null, rows.put(r.getString(r.fieldIndex("run_id")), r), "one row per run");
        }
        return rows;
    }

    @Test
    void a_data_parallel_run_lands_in_the_ledger_and_parquet_like_any_run() throws Exception {
        assertEquals(1, always.trained());
        assertEquals(0, always.failed());
        assertEquals(1, always.exportedRows());
        Map<String, Map<String, Object>> pg = postgres("dp");
        assertEquals(1, pg.size());
        String runId = pg.keySet().iterator().next();
        Map<String, Object> run = pg.get(runId);
        assertEquals("complete", run.get("status"), (String) run.get("error"));
        assertEquals(DataParallelNetwork.ENGINE, run.get("engine"));
        assertEquals("driver", run.get("executor"));
        for (String history : List.of("train_loss", "test_loss", "test_accuracy", "epoch_seconds")) {
            List<?> values = (List<?>) run.get(history);
            assertEquals(3, values.size(), history);
            assertTrue(values.stream().allMatch(v -> Double.isFinite((Double) v)), history + " " + values);
        }
        List<?> trainLoss = (List<?>) run.get("train_loss");
        assertTrue((Double) trainLoss.get(2) < (Double) trainLoss.get(0), "it learns: " + trainLoss);

        Row row = parquet("dp").get(runId);
        assertEquals("complete", row.getString(row.fieldIndex("status")));
        assertEquals(DataParallelNetwork.ENGINE, row.getString(row.fieldIndex("engine")));
        assertEquals(trainLoss, row.getList(row.fieldIndex("train_loss")));
        assertEquals(run.get("test_loss"), row.getList(row.fieldIndex("test_loss")));
    }

    @Test
    void a_sweep_mixing_ordinary_and_data_parallel_runs_completes_all_of_them() throws Exception {
        assertEquals(4, mixed.runs());
        assertEquals(4, mixed.trained());
        assertEquals(0, mixed.failed());
        assertEquals(4, mixed.exportedRows());
        Map<String, Map<String, Object>> pg = postgres("mixed");
        assertEquals(4, pg.size());
        for (Map<String, Object> run : pg.values()) {
            assertEquals("complete", run.get("status"), (String) run.get("error"));
            assertEquals(2, ((List<?>) run.get("train_loss")).size());
            // the small budget costs less than the spec's least cost: one task on the fused engine
            assertEquals((Long) run.get("size") == 512 ? DataParallelNetwork.ENGINE : "fused", run.get("engine"));
        }
        Map<String, Row> parquet = parquet("mixed");
        assertEquals(pg.keySet(), parquet.keySet());
        for (Map.Entry<String, Row> e : parquet.entrySet()) {
            Row row = e.getValue();
            assertEquals(pg.get(e.getKey()).get("engine"), row.getString(row.fieldIndex("engine")));
            assertEquals(pg.get(e.getKey()).get("test_loss"), row.getList(row.fieldIndex("test_loss")));
        }
    }
}
