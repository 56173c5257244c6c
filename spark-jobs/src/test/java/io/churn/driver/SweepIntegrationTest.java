package io.churn.driver;

import io.churn.SqlArrays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import io.churn.spec.SweepSpec;
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

/** A small sweep end to end on local[2]: real DL4J training, a real PostgreSQL, real Parquet files. */
class SweepIntegrationTest {

    static final String SPEC = """
            { "name": "it", "seed": 1, "repetitions": 2,
              "grid": { "dataset": ["banana", "529_pollen"], "shape": ["rectangle"], "depth": [2],
                        "size": [64, 128], "learning_rate": [0.01], "batch_size": [64], "epochs": [3] } }
            """;
    static final Set<RunStatus> TRAINABLE = Set.of(RunStatus.QUEUED, RunStatus.FAILED, RunStatus.RUNNING);
    static final List<String> METRICS = List.of("train_loss", "test_loss", "train_accuracy", "test_accuracy",
            "train_mean_squared_error", "test_mean_squared_error", "epoch_seconds");

    @TempDir
    static Path work;
    static DatabaseSettings db;
    static SparkSession spark;
    static SweepDriver.Summary first;
    static SweepDriver.Summary second;
    static String results;

    @BeforeAll
    static void runTheSweepTwice() throws Exception {
        db = TestDatabase.create(SweepIntegrationTest.class);
        spark = SparkTestSession.get();
        results = work.resolve("results").toUri().toString();
        SweepFile file = SweepFile.parse(SPEC, "it.json");
        SweepSpec spec = file.spec();
        SweepPlan plan = SweepPlan.of(spec, "it.json");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        first = SweepDriver.run(spark, plan, file.settings(), SPEC, db, results, 0, TRAINABLE, Duration.ofSeconds(1), quiet);
        second = SweepDriver.run(spark, plan, file.settings(), SPEC, db, results, 0, TRAINABLE, Duration.ofSeconds(1), quiet);
    }

    /** run_id -> metric name -> per-epoch values, as Postgres holds them. */
    static Map<String, Map<String, List<Double>>> postgresRows() throws Exception {
        Map<String, Map<String, List<Double>>> rows = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select r.* from run r join sweep_run w using (run_id) where w.sweep = 'it'")) {
            while (rs.next()) {
                Map<String, List<Double>> histories = SqlArrays.histories(rs);
                Map<String, List<Double>> m = new HashMap<>();
                for (String metric : METRICS) m.put(metric, histories.get(metric));
                assertEquals("complete", rs.getString("status"), rs.getString("error"));
                rows.put(rs.getString("run_id"), m);
            }
        }
        return rows;
    }

    static Map<String, Map<String, List<Double>>> parquetRows() {
        Map<String, Map<String, List<Double>>> rows = new HashMap<>();
        for (Row r : spark.read().parquet(ResultDataset.RUNS.uri(results)).where("sweep = 'it'").collectAsList()) {
            Map<String, List<Double>> m = new HashMap<>();
            for (String metric : METRICS) {
                m.put(metric, r.isNullAt(r.fieldIndex(metric)) ? null : r.getList(r.fieldIndex(metric)));
            }
            assertEquals(null, rows.put(r.getString(r.fieldIndex("run_id")), m), "one row per run");
        }
        return rows;
    }

    @Test
    void every_run_is_trained_once_and_stored() {
        assertEquals(8, first.runs());
        assertEquals(8, first.trained());
        assertEquals(0, first.failed());
        assertEquals(8, first.exportedRows());
    }

    @Test
    void postgres_and_parquet_hold_the_same_runs_and_metrics() throws Exception {
        Map<String, Map<String, List<Double>>> pg = postgresRows();
        Map<String, Map<String, List<Double>>> parquet = parquetRows();
        assertEquals(8, pg.size());
        assertEquals(pg.keySet(), parquet.keySet());
        assertEquals(pg, parquet);
    }

    @Test
    void histories_have_one_entry_per_epoch_and_regression_has_no_accuracy() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select dataset, task, histories, widths, num_free_parameters from run")) {
            int n = 0;
            while (rs.next()) {
                n++;
                Map<String, List<Double>> histories = SqlArrays.histories(rs);
                assertEquals(3, histories.get("train_loss").size());
                assertEquals(3, histories.get("test_loss").size());
                assertEquals(3, histories.get("epoch_seconds").size());
                assertEquals(rs.getString(1).equals("529_pollen"), histories.get("train_accuracy") == null);
                assertEquals(rs.getString(1).equals("529_pollen") ? "regression" : "binary", rs.getString(2));
                assertNotNull(rs.getArray(4));
                assertTrue(rs.getLong(5) > 0);
            }
            assertEquals(8, n);
        }
    }

    @Test
    void training_loss_falls_on_the_learnable_dataset() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select histories from run where dataset = 'banana'")) {
            int n = 0;
            while (rs.next()) {
                n++;
                List<Double> loss = SqlArrays.history(rs, "train_loss");
                assertTrue(loss.get(2) < loss.get(0), loss.toString());
            }
            assertEquals(4, n);
        }
    }

    @Test
    void running_the_sweep_again_trains_nothing_and_duplicates_nothing() throws Exception {
        assertEquals(8, second.alreadyComplete());
        assertEquals(0, second.trained());
        assertEquals(8, second.exportedRows());
        assertEquals(8, parquetRows().size());
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), max(attempts) from run")) {
            rs.next();
            assertEquals(8, rs.getInt(1));
            assertEquals(1, rs.getInt(2));
        }
    }
}
