package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.Claim;
import io.churn.sink.ClaimRules;
import io.churn.sink.Placement;
import io.churn.sink.RunStore;
import io.churn.spec.RunSpec;
import io.churn.train.Checkpointing;
import io.churn.train.Engine;
import io.churn.train.Provenance;
import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two attempts of one task at once, as {@code spark.speculation=true} starts a copy of a slow task
 * on a cluster (Spark never speculates in local mode, so the copy is made here by giving the same
 * partition to two tasks), and an attempt that comes back late after its run was taken over: runs
 * are trained once and no finished result is overwritten.
 */
class SpeculativeAttemptTest {

    static DatabaseSettings db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(SpeculativeAttemptTest.class);
    }

    static void register(String sweep, List<RunSpec> runs) throws Exception {
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep(sweep, "{}", runs);
        }
    }

    static JavaSparkContext jsc() {
        return JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    }

    static List<Object> row(String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return List.of(rs.getObject(1), rs.getObject(2), rs.getObject(3));
        }
    }

    @Test
    void a_copy_of_a_slow_task_trains_only_what_the_first_attempt_has_not_claimed() throws Exception {
        List<RunSpec> runs = List.of(TrainPartitionTest.run("banana", 31), TrainPartitionTest.run("banana", 32),
                TrainPartitionTest.run("529_pollen", 31));
        register("copied", runs);
        // the first attempt is slow in its first run; the copy, started meanwhile, finds that run claimed
        List<RunOutcome> outcomes = jsc().parallelize(List.of(runs, runs), 2).flatMap(new TrainPartition(
                db, TrainPartitionTest.rules(), TimeBudget.NONE, Engine.AUTO, Checkpointing.NONE,
                new TaskFaults.LateStart(new TaskFaults.SlowRun(TrainPartitionTest.sinks(), runs.get(0).runId(), 0, 3000),
                        1, 1000))).collect();
        // the slow attempt trained the run it was slow in; the copy trained the others
        List<String> bySlowAttempt = outcomes.subList(0, 1).stream().map(RunOutcome::runId).toList();
        assertEquals(List.of(runs.get(0).runId()), bySlowAttempt, "partition 0's outcomes come first: " + outcomes);

        assertEquals(3, outcomes.size(), "each run reported once: " + outcomes);
        assertEquals(Set.copyOf(runs.stream().map(RunSpec::runId).toList()),
                Set.copyOf(outcomes.stream().map(RunOutcome::runId).toList()));
        assertEquals(List.of(3L, 3L, 1), row("select count(*), count(*) filter (where status = 'complete'),"
                + " max(attempts) from run join sweep_run using (run_id) where sweep = 'copied'"));
        assertTrue(outcomes.stream().anyMatch(o -> o.runId().equals(runs.get(0).runId())));
    }

    @Test
    void an_attempt_that_lost_its_run_while_it_was_slow_overwrites_no_result() throws Exception {
        RunSpec run = TrainPartitionTest.run("banana", 33);
        register("late", List.of(run));
        ClaimRules rules = new ClaimRules("late#tests", Set.of(RunStatus.QUEUED), Instant.now(), Duration.ofMillis(400),
                3);
        JavaFutureAction<List<RunOutcome>> slow = jsc().parallelize(List.of(List.of(run)), 1).flatMap(
                new TrainPartition(db, rules, TimeBudget.NONE, Engine.AUTO, Checkpointing.NONE,
                        new TaskFaults.SlowRun(TrainPartitionTest.sinks(), run.runId(), 0, 4000))).collectAsync();
        Instant deadline = Instant.now().plusSeconds(60);
        while (!"running".equals(row("select status, 1, 1 from run where run_id = '" + run.runId() + "'").get(0))) {
            assertTrue(Instant.now().isBefore(deadline), "the slow attempt claimed its run");
            Thread.sleep(50);
        }
        // its lease lapses (as if its heartbeat could not reach the database) and another application
        // claims the run and finishes it first; the slow attempt's heartbeat still beats every 100 ms,
        // so a beat between the lapse and the claim renews the lease and the lapse is made again
        try (RunStore store = RunStore.open(db);
             Connection c = db.connect(); Statement s = c.createStatement()) {
            Optional<Claim> taken = Optional.empty();
            while (taken.isEmpty()) {
                assertTrue(Instant.now().isBefore(deadline), "another application claimed the lapsed run");
                s.executeUpdate("update run set lease_until = now() - interval '1 second' where run_id = '"
                        + run.runId() + "'");
                taken = store.ledger().claim(run, rules, new Placement("9", "app-other"));
            }
            Claim other = taken.get();
            assertTrue(store.results().save(new RunResult(run, RunStatus.COMPLETE, null, "other", 2, 1, List.of(3, 1),
                    13L, "fused", List.of(), 0, Provenance.CURRENT, Instant.now(), Instant.now()), other));
        }
        List<RunOutcome> outcomes = slow.get(2, TimeUnit.MINUTES);
        assertEquals(List.of(), outcomes, "the late attempt reports no run as its own");
        assertEquals(List.of("complete", "other", "app-other"), row("select status, task, spark_application_id"
                + " from run where run_id = '" + run.runId() + "'"));
        assertFalse(outcomes.stream().anyMatch(o -> o.runId().equals(run.runId())));
    }
}
