package io.churn.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.data.Datasets;
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
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

    @TempDir
    static Path work;
    static DatabaseSettings db;
    static final Placement HERE = new Placement("7", "app-1");

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(RunStoreTest.class);
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
            store.ledger().registerSweep("ledger", "{}", runs);
            assertEquals(256, store.ledger().runIds("ledger", Set.of(RunStatus.QUEUED)).size());
            store.ledger().markRunning(runs.get(0), HERE);
            store.results().save(failed(runs.get(1), "java.lang.IllegalStateException: boom\n\tat x"), HERE);
            store.ledger().registerSweep("ledger", "{\"again\": true}", runs);
            assertEquals(254, store.ledger().runIds("ledger", Set.of(RunStatus.QUEUED)).size());
            assertEquals(Set.of(runs.get(0).runId()), store.ledger().runIds("ledger", Set.of(RunStatus.RUNNING)));
            assertEquals(Set.of(runs.get(1).runId()), store.ledger().runIds("ledger", Set.of(RunStatus.FAILED)));
            assertEquals("{\"again\": true}", store.queries().spec("ledger"));
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
            store.ledger().registerSweep("attempts", "{}", runs);
            store.ledger().markRunning(runs.get(0), HERE);
            store.ledger().markRunning(runs.get(0), new Placement("8", "app-2"));
            store.results().save(new RunResult(runs.get(1), RunStatus.COMPLETE, null, "binary", 2, 1, List.of(3, 1), 13L, "fused",
                    List.of(), 0, Provenance.CURRENT, Instant.now(), Instant.now()), HERE);
            store.ledger().markRunning(runs.get(1), HERE);
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
            store.ledger().registerSweep("grouped", "{}", runs);
            store.results().save(failed(runs.get(0), "java.lang.ArithmeticException: diverged\n\tat a"), HERE);
            store.results().save(failed(runs.get(1), "java.lang.ArithmeticException: diverged\n\tat b"), HERE);
            store.results().save(failed(runs.get(2), "java.io.IOException: disk\n\tat c"), HERE);
            store.ledger().markRunning(runs.get(3), HERE);
            SweepStatus s = store.queries().status("grouped");
            assertEquals(Map.of(RunStatus.QUEUED, 2, RunStatus.RUNNING, 1, RunStatus.COMPLETE, 0, RunStatus.DIVERGED, 0,
                    RunStatus.FAILED, 3),
                    s.counts());
            assertEquals(Map.of("java.lang.ArithmeticException: diverged", 2, "java.io.IOException: disk", 1),
                    s.failuresByError());
            assertEquals(3, s.finishedRecently());
            assertNotNull(s.eta());
            assertNull(store.queries().status("no-such-sweep"));
        }
    }

    @Test
    void a_result_carries_its_provenance_under_the_same_names_in_sql_and_parquet() throws Exception {
        RunSpec run = runs("provenance", 1).get(0);
        Provenance provenance = Provenance.of(Datasets.load(run.dataset()));
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("provenance", "{}", List.of(run));
            store.results().save(new RunResult(run, RunStatus.COMPLETE, null, "binary", 2, 1, List.of(3, 1), 13L,
                    "fused", List.of(), 0, provenance, Instant.now(), Instant.now()), HERE);
        }
        List<String> columns = List.of("host", "java_version", "os_name", "os_arch", "dl4j_version", "spark_version",
                "churn_revision", "dataset_sha256");
        List<Object> expected = List.of(provenance.host(), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"), "1.0.0-M2.1",
                SparkTestSession.get().version(), provenance.churnRevision(), Datasets.load(run.dataset()).sha256());
        assertEquals(64, provenance.datasetSha256().length());
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select " + String.join(", ", columns) + " from run where run_id = '"
                     + run.runId() + "'")) {
            rs.next();
            for (int i = 0; i < columns.size(); i++) {
                assertEquals(expected.get(i), rs.getString(i + 1), columns.get(i) + " in PostgreSQL");
            }
        }
        String results = work.resolve("results").toUri().toString();
        assertEquals(1, ParquetExport.export(db, "provenance", results));
        Row row = SparkTestSession.get().read().parquet(results + "/runs").where("sweep = 'provenance'").first();
        for (int i = 0; i < columns.size(); i++) {
            assertEquals(expected.get(i), row.getString(row.fieldIndex(columns.get(i))),
                    columns.get(i) + " in Parquet");
        }
    }

    @Test
    void training_seconds_sum_the_wall_times_of_the_sweeps_finished_runs() throws Exception {
        List<RunSpec> runs = runs("timed", 1).subList(0, 3);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("timed", "{}", runs);
            assertEquals(0, store.queries().trainingSeconds("timed"));
            store.results().save(new RunResult(runs.get(0), RunStatus.FAILED, "boom", null, null, null, null, null, null,
                    List.of(), 0, Provenance.CURRENT, start, start.plusMillis(1500)), HERE);
            store.results().save(new RunResult(runs.get(1), RunStatus.FAILED, "boom", null, null, null, null, null, null,
                    List.of(), 0, Provenance.CURRENT, start, start.plusMillis(250)), HERE);
            store.ledger().markRunning(runs.get(2), HERE);
            assertEquals(1.75, store.queries().trainingSeconds("timed"), 1e-9);
        }
    }
}
