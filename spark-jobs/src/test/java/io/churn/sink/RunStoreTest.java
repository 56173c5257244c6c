package io.churn.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

    @TempDir
    static Path work;
    static DatabaseSettings db;
    static final Placement HERE = new Placement("7", "app-1");
    /** Claims any run not complete, as a test writes results: running ones too, taken over at once. */
    static final ClaimRules ANY = new ClaimRules("app-1#tests", Set.of(RunStatus.QUEUED, RunStatus.FAILED,
            RunStatus.RUNNING), Instant.now().plus(Duration.ofDays(1)), ClaimRules.DEFAULT_LEASE,
            ClaimRules.DEFAULT_MAX_ATTEMPTS);

    /** Claims {@code run} for {@code where}, failing the test if it cannot be claimed. */
    static Claim claim(RunStore store, RunSpec run, Placement where) throws Exception {
        return store.ledger().claim(run, ANY, where).orElseThrow(() -> new AssertionError("cannot claim " + run.runId()));
    }

    /** Claims {@code result}'s run here and writes the result under the claim. */
    static void save(RunStore store, RunResult result) throws Exception {
        assertTrue(store.results().save(result, claim(store, result.run(), HERE)));
    }

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
            claim(store, runs.get(0), HERE);
            save(store, failed(runs.get(1), "java.lang.IllegalStateException: boom\n\tat x"));
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
    void claiming_counts_attempts_and_never_reopens_a_complete_run() throws Exception {
        List<RunSpec> runs = runs("attempts", 1).subList(0, 2);
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("attempts", "{}", runs);
            claim(store, runs.get(0), HERE);
            claim(store, runs.get(0), new Placement("8", "app-2"));
            save(store, new RunResult(runs.get(1), RunStatus.COMPLETE, null, "binary", 2, 1, List.of(3, 1), 13L, "fused",
                    List.of(), 0, Provenance.CURRENT, Instant.now(), Instant.now()));
            assertTrue(store.ledger().claim(runs.get(1), ANY, HERE).isEmpty());
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
            save(store, failed(runs.get(0), "java.lang.ArithmeticException: diverged\n\tat a"));
            save(store, failed(runs.get(1), "java.lang.ArithmeticException: diverged\n\tat b"));
            save(store, failed(runs.get(2), "java.io.IOException: disk\n\tat c"));
            claim(store, runs.get(3), HERE);
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
            save(store, new RunResult(run, RunStatus.COMPLETE, null, "binary", 2, 1, List.of(3, 1), 13L,
                    "fused", List.of(), 0, provenance, Instant.now(), Instant.now()));
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
            save(store, new RunResult(runs.get(0), RunStatus.FAILED, "boom", null, null, null, null, null, null,
                    List.of(), 0, Provenance.CURRENT, start, start.plusMillis(1500)));
            save(store, new RunResult(runs.get(1), RunStatus.FAILED, "boom", null, null, null, null, null, null,
                    List.of(), 0, Provenance.CURRENT, start, start.plusMillis(250)));
            claim(store, runs.get(2), HERE);
            assertEquals(1.75, store.queries().trainingSeconds("timed"), 1e-9);
        }
    }

    static ClaimRules rules(Set<RunStatus> statuses, Instant since, Duration lease, int maxAttempts) {
        return new ClaimRules(ANY.holder(), statuses, since, lease, maxAttempts);
    }

    /** {@link #ANY}'s rules for claims held by {@code joined}. */
    static ClaimRules heldBy(Applications.Joined joined) {
        return new ClaimRules(joined.holder(), ANY.statuses(), ANY.since(), ANY.lease(), ANY.maxAttempts());
    }

    static RunResult complete(RunSpec run, String task) {
        return new RunResult(run, RunStatus.COMPLETE, null, task, 2, 1, List.of(3, 1), 13L, "fused", List.of(), 0,
                Provenance.CURRENT, Instant.now(), Instant.now());
    }

    static String column(String runId, String column) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select " + column + "::text from run where run_id = '" + runId + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void only_the_holder_of_a_runs_current_claim_writes_its_result() throws Exception {
        List<RunSpec> runs = runs("holder", 1).subList(0, 2);
        ClaimRules shortLease = rules(Set.of(RunStatus.QUEUED), Instant.now(), Duration.ofMillis(300), 3);
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("holder", "{}", runs);
            RunSpec run = runs.get(0);
            Claim first = store.ledger().claim(run, shortLease, HERE).orElseThrow();
            // held under a live lease: nobody else may claim it
            assertTrue(store.ledger().claim(run, shortLease, new Placement("8", "app-2")).isEmpty());
            Thread.sleep(500);
            // the lease lapsed without a heartbeat: another application takes the run over
            Claim second = store.ledger().claim(run, shortLease, new Placement("8", "app-2")).orElseThrow();
            assertEquals(Set.of(first), store.ledger().renew(List.of(first, second), Duration.ofMinutes(1)));
            assertFalse(store.results().save(complete(run, "zombie"), first), "the old holder is refused");
            assertEquals("running", column(run.runId(), "status"));
            assertTrue(store.results().save(complete(run, "holder"), second));
            assertTrue(store.results().save(complete(run, "holder"), second), "the same write again is harmless");
            // a finished result is never overwritten, by a late attempt or a new claim
            assertFalse(store.results().save(complete(run, "late"), first));
            assertTrue(store.ledger().claim(run, ANY, HERE).isEmpty());
            assertEquals("holder", column(run.runId(), "task"));
            assertEquals("2", column(run.runId(), "attempts"));
            assertEquals("app-2", column(run.runId(), "spark_application_id"));
            assertEquals(null, column(run.runId(), "lease_until"));

            // a claim given back returns the run to the queue; a release not counting the attempt takes it back
            Claim released = store.ledger().claim(runs.get(1), shortLease, HERE).orElseThrow();
            store.ledger().release(released, false);
            assertEquals("queued", column(runs.get(1).runId(), "status"));
            assertEquals("0", column(runs.get(1).runId(), "attempts"));
            assertFalse(store.results().save(complete(runs.get(1), "released"), released));
        }
    }

    @Test
    void a_run_whose_workers_keep_dying_is_failed_after_its_attempts_and_failures_wait_for_a_later_application()
            throws Exception {
        List<RunSpec> runs = runs("exhausted", 1).subList(0, 2);
        ClaimRules rules = rules(Set.of(RunStatus.QUEUED, RunStatus.FAILED), Instant.now().minusSeconds(60),
                Duration.ofMillis(100), 2);
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("exhausted", "{}", runs);
            RunSpec run = runs.get(0);
            store.ledger().claim(run, rules, HERE).orElseThrow();
            Thread.sleep(200);
            assertEquals(0, store.ledger().failExhausted("exhausted", 2), "one attempt of two");
            assertEquals(Set.of(run.runId()), store.ledger().queue("exhausted", rules).claimable().stream()
                    .filter(run.runId()::equals).collect(java.util.stream.Collectors.toSet()));
            store.ledger().claim(run, rules, HERE).orElseThrow();
            Thread.sleep(200);
            assertTrue(store.ledger().claim(run, rules, HERE).isEmpty(), "not a third attempt");
            assertEquals(1, store.ledger().failExhausted("exhausted", 2));
            assertEquals("failed", column(run.runId(), "status"));
            assertTrue(column(run.runId(), "error").startsWith("gave up after 2 attempts"), column(run.runId(), "error"));

            // a run failing now is not retried by an application that started before it failed
            Claim other = store.ledger().claim(runs.get(1), rules, HERE).orElseThrow();
            assertTrue(store.results().save(failed(runs.get(1), "boom"), other));
            assertTrue(store.ledger().claim(runs.get(1), rules, HERE).isEmpty());
            ClaimRules later = rules(rules.statuses(), Instant.now().plusSeconds(1), rules.lease(), 2);
            assertTrue(store.ledger().claim(runs.get(1), later, HERE).isPresent());
        }
    }

    @Test
    void applications_join_beat_and_leave_with_the_runs_they_hold_and_finished() throws Exception {
        List<RunSpec> runs = runs("members", 1).subList(0, 3);
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("members", "{}", runs);
            Applications apps = store.applications();
            Applications.Joined first = apps.join("members", "app-1", "local[2]");
            Applications.Joined second = apps.join("members", "app-2", "spark://head:7077");
            // standalone masters started together name their first applications alike: each holds the sweep apart
            Applications.Joined alike = apps.join("members", "app-2", "spark://node7:7077");
            assertNotEquals(second.holder(), alike.holder());
            assertTrue(store.results().save(complete(runs.get(0), "binary"),
                    store.ledger().claim(runs.get(0), heldBy(first), HERE).orElseThrow()));
            store.ledger().claim(runs.get(1), heldBy(first), HERE).orElseThrow();
            store.ledger().claim(runs.get(2), heldBy(second), new Placement("3", "app-2")).orElseThrow();
            apps.beat(second.holder());
            apps.leave(first.holder());
            List<Applications.Member> members = apps.of("members");
            assertEquals(List.of(first.holder(), second.holder(), alike.holder()),
                    members.stream().map(Applications.Member::holder).toList());
            assertEquals(List.of("app-1", "app-2", "app-2"),
                    members.stream().map(Applications.Member::applicationId).toList());
            assertEquals(List.of(1, 1, 0), members.stream().map(Applications.Member::claimed).toList());
            assertEquals(List.of(1, 0, 0), members.stream().map(Applications.Member::done).toList());
            assertNotNull(members.get(0).endedAt());
            assertNull(members.get(1).endedAt());
            assertEquals("spark://head:7077", members.get(1).master());

            // giving back what one holds leaves the runs of another of the same Spark application id
            assertEquals(0, store.ledger().releaseAll("members", alike.holder(), true));
            assertEquals("running", column(runs.get(2).runId(), "status"));
            assertEquals(1, store.ledger().releaseAll("members", second.holder(), true));
            assertEquals("queued", column(runs.get(2).runId(), "status"));
        }
    }

    @Test
    void a_shared_store_serves_many_threads_on_no_more_connections_than_its_bound() throws Exception {
        List<RunSpec> runs = runs("shared", 2);
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("shared", "{}", runs);
        }
        int threads = 8;
        java.util.concurrent.atomic.AtomicInteger mostSessions = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try (RunStore shared = RunStore.shared(db, 2); Connection monitor = db.connect();
             java.sql.PreparedStatement sessions = monitor.prepareStatement("select count(*) from pg_stat_activity"
                     + " where datname = current_database() and backend_type = 'client backend'"
                     + " and pid <> pg_backend_pid()")) {
            Future<?> watching = pool.submit(() -> {
                while (writing.get()) {
                    try (ResultSet r = sessions.executeQuery()) {
                        r.next();
                        mostSessions.accumulateAndGet(r.getInt(1), Math::max);
                    }
                }
                return null;
            });
            List<Future<Integer>> writers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                writers.add(pool.submit(() -> {
                    int written = 0;
                    Placement where = new Placement("executor-1", "app-1");
                    for (int i = first; i < runs.size(); i += threads) {
                        Claim claim = claim(shared, runs.get(i), where);
                        if (shared.results().save(complete(runs.get(i), "shared"), claim)) written++;
                    }
                    return written;
                }));
            }
            int written = 0;
            for (Future<Integer> w : writers) written += w.get(2, TimeUnit.MINUTES);
            writing.set(false);
            watching.get();
            assertEquals(runs.size(), written, "every thread's results are written, each once");
            assertTrue(mostSessions.get() >= 1 && mostSessions.get() <= 2,
                    "the threads share at most two sessions: " + mostSessions.get());
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) filter (where status = 'complete'), max(attempts) from run"
                     + " join sweep_run using (run_id) where sweep = 'shared'")) {
            r.next();
            assertEquals(runs.size(), r.getInt(1));
            assertEquals(1, r.getInt(2));
        }
    }
}
