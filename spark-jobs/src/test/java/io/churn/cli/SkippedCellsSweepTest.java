package io.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.driver.SweepDriver;
import io.churn.driver.SweepPlan;
import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.SchemaMigration;
import io.churn.settings.SweepFile;
import io.churn.train.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real sweep on local Spark whose grid holds a cell no network can meet. */
class SkippedCellsSweepTest {

    // splice has 287 inputs: its smallest rectangle of depth 2 has 294 parameters, far from 64
    static final String SPEC = """
            { "name": "skip", "seed": 3, "repetitions": 2,
              "grid": { "dataset": ["banana", "splice"], "shape": ["rectangle"], "depth": [2], "size": [64],
                        "learning_rate": [0.01, 0.1], "batch_size": [64], "epochs": [2] } }
            """;

    @Test
    void skipped_cells_are_counted_and_never_trained(@TempDir Path work) throws Exception {
        SweepFile file = SweepFile.parse(SPEC, "skip.json");
        SweepPlan plan = SweepPlan.of(file.spec(), "skip.json");
        assertEquals(1, plan.skipped().size());
        assertEquals(new SweepPlan.Cell("splice", "rectangle", 2, 64), plan.skipped().get(0).cell());
        assertTrue(plan.skipped().get(0).reason().startsWith("size 64 on dataset splice (287 inputs, 3 outputs)"),
                plan.skipped().get(0).reason());
        assertEquals(4, plan.skippedRuns());

        try (EmbeddedDatabase database = EmbeddedDatabase.start(work.resolve("postgres"))) {
            SchemaMigration.migrate(database.settings());
            SweepDriver.Summary s = SweepDriver.run(SparkTestSession.get(), plan, file.settings(), SPEC,
                    database.settings(), work.resolve("results").toUri().toString(), 0,
                    Set.of(RunStatus.QUEUED, RunStatus.FAILED, RunStatus.RUNNING), Duration.ofSeconds(1),
                    new PrintStream(new ByteArrayOutputStream()));
            assertEquals(4, s.runs());
            assertEquals(4, s.trained());
            assertEquals(0, s.failed());
            assertEquals(4, s.skippedRuns());
            assertEquals(4, s.exportedRows());
            try (Connection c = database.settings().connect(); Statement q = c.createStatement();
                 ResultSet rs = q.executeQuery("select count(*) filter (where dataset = 'splice'), count(*)"
                         + " from run join sweep_run using (run_id) where sweep = 'skip'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "no run of the skipped cell is in the ledger");
                assertEquals(4, rs.getInt(2));
            }

            CommandOutput status = CommandOutput.churn("status", "skip", "--work-dir", work.toString());
            assertEquals(0, status.code(), status.err());
            assertTrue(status.out().contains("sweep skip: 4 runs"), status.out());
            assertTrue(status.out().contains(
                    "skipped 4 runs: 1 (dataset, shape, depth, size) cells have no conformant layout"), status.out());
        }
    }
}
