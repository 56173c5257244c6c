package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.settings.SweepFile;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.ResultDataset;
import io.churn.spec.RunSpec;
import io.churn.train.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dropout} as a grid axis, on local[2] with a real PostgreSQL and real Parquet: each value is
 * its own run, trained on its engine with that dropout, and recorded under the spec's word in SQL and
 * Parquet; a run without dropout keeps the id it had before dropout existed.
 */
class DropoutSweepTest {

    static final String SPEC = "{ \"name\": \"drop\", \"seed\": 3, \"engine\": \"%s\", \"grid\": {"
            + " \"dataset\": [\"banana\"], \"shape\": [\"rectangle\"], \"depth\": [3], \"size\": [300],"
            + " \"learning_rate\": [0.01], \"batch_size\": [32], \"epochs\": [2], \"dropout\": [0, 0.3] } }";

    @Test
    void each_dropout_is_a_run_trained_with_it_and_recorded_under_its_name(@TempDir Path work) throws Exception {
        DatabaseSettings db = TestDatabase.create(DropoutSweepTest.class);
        String results = work.resolve("results").toUri().toString();
        for (String engine : List.of("fused", "dl4j")) {
            String json = SPEC.formatted(engine).replace("\"drop\"", "\"drop_" + engine + "\"");
            SweepFile file = SweepFile.parse(json, "drop.json");
            SweepPlan plan = SweepPlan.of(file.spec(), "drop.json");
            assertEquals(2, plan.runs().size());
            SweepDriver.run(SparkTestSession.get(), plan, file.settings(), json, db, results, 0,
                    Set.of(RunStatus.QUEUED, RunStatus.FAILED, RunStatus.RUNNING), Duration.ofSeconds(60),
                    new PrintStream(new ByteArrayOutputStream()));
        }
        // engine is not part of a run: both sweeps name the same two runs, trained once
        List<List<Object>> stored = TestDatabase.rows(db, "select dropout, status, md5(histories) from run"
                + " order by dropout");
        assertEquals(2, stored.size(), stored.toString());
        assertEquals(List.of(0.0, "complete"), stored.get(0).subList(0, 2));
        assertEquals(List.of(0.3, "complete"), stored.get(1).subList(0, 2));
        assertNotEquals(stored.get(0).get(2), stored.get(1).get(2), "dropout reaches training");

        Map<Double, String> exported = new TreeMap<>();
        for (Row r : SparkTestSession.get().read().parquet(ResultDataset.RUNS.uri(results))
                .where("sweep = 'drop_fused'").collectAsList()) {
            exported.put(r.getDouble(r.fieldIndex("dropout")), r.getString(r.fieldIndex("run_id")));
        }
        assertEquals(Set.of(0.0, 0.3), exported.keySet());
        SweepPlan plan = SweepPlan.of(SweepFile.parse(SPEC.formatted("fused"), "drop.json").spec(), "drop.json");
        for (RunSpec run : plan.runs()) {
            assertEquals(run.runId(), exported.get(run.dropout()), run.toString());
        }
    }
}
