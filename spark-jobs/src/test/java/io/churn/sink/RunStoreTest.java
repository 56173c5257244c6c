package io.churn.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import io.churn.spec.SpecParser;
import io.churn.train.Provenance;
import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

    @TempDir
    static Path work;
    static EmbeddedDatabase database;
    static DatabaseSettings db;
    static final Placement HERE = new Placement("7", "app-1");

    @BeforeAll
    static void startDatabase() {
        database = EmbeddedDatabase.start(work.resolve("postgres"));
        db = database.settings();
        RunStore.migrate(db);
    }

    @AfterAll
    static void stopDatabase() {
        database.close();
    }

    /** A sweep's runs; its own seed keeps its run ids apart from the other tests'. */
    static List<RunSpec> runs(String name, int repetitions) {
        return GridExpander.expand(SpecParser.parse("""
                { "name": "%s", "repetitions": %d, "seed": %d,
                  "grid": { "dataset": ["banana", "adult"], "shape": ["rectangle", "trapezoid"], "depth": [2, 3],
                            "size": [64, 128], "learning_rate": [0.01, 0.001], "batch_size": [32],
                            "epochs": [1], "kernel_regularizer": ["none", "l2:0.001"] } }
                """.formatted(name, repetitions, Math.abs(name.hashCode())), "t"));
    }

    static RunResult failed(RunSpec run, String error) {
        return new RunResult(run, RunStatus.FAILED, error, null, null, null, null, null, null, List.of(), 0,
                Provenance.CURRENT, Instant.now(), Instant.now());
    }

    @Test
    void submitted_runs_are_queued_once_and_keep_their_state_on_resubmission() throws Exception {
        List<RunSpec> runs = runs("ledger", 4);
        assertEquals(256, runs.size());
        try (RunStore store = RunStore.open(db)) {
            store.registerSweep("ledger", "{}", runs);
            assertEquals(256, store.runIds("ledger", Set.of(RunStatus.QUEUED)).size());
            store.markRunning(runs.get(0), HERE);
            store.saveResult(failed(runs.get(1), "java.lang.IllegalStateException: boom\n\tat x"), HERE);
            store.registerSweep("ledger", "{\"again\": true}", runs);
            assertEquals(254, store.runIds("ledger", Set.of(RunStatus.QUEUED)).size());
            assertEquals(Set.of(runs.get(0).runId()), store.runIds("ledger", Set.of(RunStatus.RUNNING)));
            assertEquals(Set.of(runs.get(1).runId()), store.runIds("ledger", Set.of(RunStatus.FAILED)));
            assertEquals("{\"again\": true}", store.spec("ledger"));
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(distinct run_id) from sweep_run where sweep = 'ledger'")) {
            rs.next();
            assertEquals(256, rs.getInt(1));
            assertEquals(256, rs.getInt(2));
        }
    }

    @Test
    void marking_running_counts_attempts_and_never_reopens_a_complete_run() throws Exception {
        List<RunSpec> runs = runs("attempts", 1).subList(0, 2);
        try (RunStore store = RunStore.open(db)) {
            store.registerSweep("attempts", "{}", runs);
            store.markRunning(runs.get(0), HERE);
            store.markRunning(runs.get(0), new Placement("8", "app-2"));
            store.saveResult(new RunResult(runs.get(1), RunStatus.COMPLETE, null, "binary", 2, 1, List.of(3, 1), 13L, "fused",
                    List.of(), 0, Provenance.CURRENT, Instant.now(), Instant.now()), HERE);
            store.markRunning(runs.get(1), HERE);
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select run_id, status, attempts, executor, spark_application_id from run"
                     + " where run_id in ('" + runs.get(0).runId() + "', '" + runs.get(1).runId() + "')")) {
            while (rs.next()) {
                if (rs.getString(1).equals(runs.get(0).runId())) {
                    assertEquals("running", rs.getString(2));
                    assertEquals(2, rs.getInt(3));
                    assertEquals("8", rs.getString(4));
                    assertEquals("app-2", rs.getString(5));
                } else {
                    assertEquals("complete", rs.getString(2));
                }
            }
        }
    }

    @Test
    void status_counts_runs_and_groups_failures_by_their_first_line() throws Exception {
        List<RunSpec> runs = runs("grouped", 1).subList(0, 6);
        try (RunStore store = RunStore.open(db)) {
            store.registerSweep("grouped", "{}", runs);
            store.saveResult(failed(runs.get(0), "java.lang.ArithmeticException: diverged\n\tat a"), HERE);
            store.saveResult(failed(runs.get(1), "java.lang.ArithmeticException: diverged\n\tat b"), HERE);
            store.saveResult(failed(runs.get(2), "java.io.IOException: disk\n\tat c"), HERE);
            store.markRunning(runs.get(3), HERE);
            SweepStatus s = store.status("grouped");
            assertEquals(Map.of(RunStatus.QUEUED, 2, RunStatus.RUNNING, 1, RunStatus.COMPLETE, 0, RunStatus.FAILED, 3),
                    s.counts());
            assertEquals(Map.of("java.lang.ArithmeticException: diverged", 2, "java.io.IOException: disk", 1),
                    s.failuresByError());
            assertEquals(3, s.finishedRecently());
            assertNotNull(s.eta());
            assertNull(store.status("no-such-sweep"));
        }
    }
}
