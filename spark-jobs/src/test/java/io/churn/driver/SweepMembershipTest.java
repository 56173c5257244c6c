package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.settings.SweepFile;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.ParquetExport;
import io.churn.sink.ResultDataset;
import io.churn.train.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep is what its current spec names; every sweep's Parquet agrees with PostgreSQL on the runs it shares. */
class SweepMembershipTest {

    static final Set<RunStatus> TRAINABLE = Set.of(RunStatus.QUEUED, RunStatus.FAILED, RunStatus.RUNNING);

    @TempDir
    static Path work;
    static DatabaseSettings db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(SweepMembershipTest.class);
    }

    static String spec(String name, String sizes) {
        return "{ \"name\": \"" + name + "\", \"seed\": 5, \"grid\": { \"dataset\": [\"banana\"], \"shape\": [\"rectangle\"],"
                + " \"depth\": [2], \"size\": [" + sizes + "], \"learning_rate\": [0.01], \"batch_size\": [128],"
                + " \"epochs\": [1] } }";
    }

    static SweepDriver.Summary sweep(String json, String results, ByteArrayOutputStream out) throws Exception {
        SweepFile file = SweepFile.parse(json, "spec.json");
        return SweepDriver.run(SparkTestSession.get(), SweepPlan.of(file.spec(), "spec.json"), file.settings(), json, db,
                results, 0, TRAINABLE, Duration.ofSeconds(60), new PrintStream(out, true));
    }

    static int count(String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** run_id -> status, as the sweep's Parquet partition holds them. */
    static Map<String, String> parquet(String results, String sweep) {
        Map<String, String> status = new TreeMap<>();
        for (Row r : SparkTestSession.get().read().parquet(ResultDataset.RUNS.partitionUri(results, sweep)).collectAsList()) {
            status.put(r.getString(r.fieldIndex("run_id")), r.getString(r.fieldIndex("status")));
        }
        return status;
    }

    /** run_id -> status, as PostgreSQL holds the sweep's runs. */
    static Map<String, String> postgres(String sweep) throws Exception {
        Map<String, String> status = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select run_id, status from run join sweep_run using (run_id)"
                     + " where sweep = '" + sweep + "'")) {
            while (rs.next()) status.put(rs.getString(1), rs.getString(2));
        }
        return status;
    }

    @Test
    void an_edited_spec_replaces_the_sweeps_runs_and_keeps_the_dropped_ones_in_the_run_table() throws Exception {
        String results = work.resolve("edited").toUri().toString();
        SweepDriver.Summary three = sweep(spec("edited", "64, 96, 128"), results, new ByteArrayOutputStream());
        assertEquals(3, three.exportedRows());
        SweepDriver.Summary one = sweep(spec("edited", "64"), results, new ByteArrayOutputStream());
        assertEquals(1, one.runs());
        assertEquals(1, one.exportedRows());
        assertEquals(1, parquet(results, "edited").size());
        assertEquals(1, count("select count(*) from sweep_run where sweep = 'edited'"));
        assertEquals(3, count("select count(*) from run where size in (64, 96, 128) and dataset = 'banana'"
                + " and epochs = 1 and batch_size = 128"), "runs dropped from the spec stay in the run table");
    }

    @Test
    void a_shared_run_trained_again_by_another_sweep_is_exported_again_in_both() throws Exception {
        String firstResults = work.resolve("first").toUri().toString();
        String secondResults = work.resolve("second").toUri().toString();
        sweep(spec("first", "160, 192"), firstResults, new ByteArrayOutputStream());
        // the shared run failed (say, its executor was lost); the first sweep's Parquet says so
        count("update run set status = 'failed', error = 'lost' where run_id in (select run_id from sweep_run"
                + " where sweep = 'first') and size = 192 returning 1");
        ParquetExport.export(db, "first", firstResults);
        assertTrue(parquet(firstResults, "first").containsValue("failed"));

        // the second sweep names that run too, and trains it again
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SweepDriver.Summary second = sweep(spec("second", "192"), secondResults, out);
        assertEquals(1, second.trained());
        assertTrue(out.toString().contains("exported sweep first again (2 rows) to " + firstResults), out.toString());
        assertEquals(postgres("first"), parquet(firstResults, "first"));
        assertEquals(postgres("second"), parquet(secondResults, "second"));
        assertEquals(Set.of("complete"), Set.copyOf(parquet(firstResults, "first").values()));
    }
}
