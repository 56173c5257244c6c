package io.churn.cli;

import static io.churn.cli.ApplicationKilledTest.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several applications on one sweep at once, as real {@code churn} processes against one
 * PostgreSQL: each claims the runs it trains, a killed one's runs come back when their leases
 * lapse, and one under a time limit stops in time with the rest left queued.
 */
class CooperativeSweepTest {

    /** Runs of a second or two each on DL4J, so that applications starting seconds apart share them. */
    static String spec(String name, int repetitions) {
        return """
                { "name": "%s", "seed": 9, "repetitions": %d, "engine": "dl4j",
                  "grid": { "dataset": ["wine_quality_white"], "shape": ["rectangle"], "depth": [2, 3],
                            "size": [256], "learning_rate": [0.01], "batch_size": [32], "epochs": [3] } }
                """.formatted(name, repetitions);
    }

    static void awaitSql(DatabaseSettings db, String sql, Process... alive) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (count(db, "select count(*) from information_schema.tables where table_name = 'sweep_application'") == 0
                || count(db, sql) == 0) {
            for (Process p : alive) assertTrue(p.isAlive(), "ended before: " + sql);
            assertTrue(Instant.now().isBefore(deadline), "in time: " + sql);
            Thread.sleep(100);
        }
    }

    static String finish(Process p, Path log) throws Exception {
        assertTrue(p.waitFor(4, TimeUnit.MINUTES), "finished: " + log);
        String text = Files.readString(log);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    /** The sweep's rows in Parquet hold each of its {@code runs} once, {@code complete} of them complete. */
    static void assertParquetOnce(Path work, String sweep, int runs, int complete) {
        List<Row> rows = SparkTestSession.get().read().parquet(work.resolve("results").resolve("runs").toString())
                .where("sweep = '" + sweep + "'").collectAsList();
        Set<String> ids = new HashSet<>();
        for (Row r : rows) {
            assertTrue(ids.add(r.getString(r.fieldIndex("run_id"))), "once in Parquet");
        }
        assertEquals(runs, rows.size());
        assertEquals(complete, rows.stream().filter(r -> "complete".equals(r.getString(r.fieldIndex("status")))).count());
    }

    @Test
    void two_applications_on_one_sweep_train_every_run_once_and_both_train_some(@TempDir Path work) throws Exception {
        Path spec = Files.writeString(work.resolve("together.json"), spec("together", 10));
        DatabaseSettings db = TestDatabase.create(CooperativeSweepTest.class);
        Process first = ChurnProcess.start(work, db, "first.log", "sweep", spec.toString());
        // the second joins once the first trains, as a second cluster would
        awaitSql(db, "select count(*) from run where status = 'running'", first);
        Process second = ChurnProcess.start(work, db, "second.log", "sweep", spec.toString());
        awaitSql(db, "select count(distinct spark_application_id) from run group by true"
                + " having count(distinct spark_application_id) = 2", first, second);
        List<String> statusArgs = new ArrayList<>(List.of("status", "together"));
        statusArgs.addAll(TestDatabase.cliOptions(db));
        CommandOutput status = CommandOutput.churn(statusArgs.toArray(String[]::new));
        String firstLog = finish(first, work.resolve("first.log"));
        String secondLog = finish(second, work.resolve("second.log"));

        assertEquals(20, count(db, "select count(*) from run where status = 'complete'"));
        assertEquals(20, count(db, "select count(*) from run where attempts = 1"), "trained once each");
        assertEquals(2, count(db, "select count(distinct spark_application_id) from run"), "both trained some");
        assertEquals(2, count(db, "select count(*) from sweep_application where sweep = 'together'"
                + " and ended_at is not null"));
        assertParquetOnce(work, "together", 20, 20);
        // each reports the runs it trained, which add up to the sweep
        int trained = trained(firstLog) + trained(secondLog);
        assertEquals(20, trained, firstLog + secondLog);
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("applications: 2 working"), status.out());
    }

    /** The runs a sweep command says it trained. */
    static int trained(String log) {
        var m = java.util.regex.Pattern.compile("already complete, (\\d+) trained").matcher(log);
        assertTrue(m.find(), log);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void a_killed_applications_runs_are_trained_by_the_other_once_their_leases_lapse(@TempDir Path work)
            throws Exception {
        Path spec = Files.writeString(work.resolve("survivor.json"), spec("survivor", 8));
        DatabaseSettings db = TestDatabase.create(CooperativeSweepTest.class);
        Process doomed = ChurnProcess.start(work, db, "doomed.log", "sweep", spec.toString(), "--lease-seconds", "3");
        awaitSql(db, "select count(*) from run where status = 'running'", doomed);
        Process survivor = ChurnProcess.start(work, db, "survivor.log", "sweep", spec.toString(), "--lease-seconds", "3");
        // killed while it holds runs, once the other application trains too
        awaitSql(db, "select count(*) from run r join sweep_application a on a.application_id = r.spark_application_id"
                + " group by true having count(distinct r.spark_application_id) filter (where r.status = 'running') = 2",
                doomed, survivor);
        doomed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Set<String> held = ids(db, "select run_id from run r where status = 'running' and spark_application_id ="
                + " (select application_id from sweep_application order by started_at limit 1)");
        assertTrue(!held.isEmpty(), "killed holding runs");
        String log = finish(survivor, work.resolve("survivor.log"));

        assertEquals(16, count(db, "select count(*) from run where status = 'complete'"), log);
        assertEquals(16, count(db, "select count(*) from run"));
        for (String id : held) {
            assertEquals(2, count(db, "select attempts from run where run_id = '" + id + "'"), "retried once: " + id);
            assertEquals(1, count(db, "select count(*) from run where run_id = '" + id + "' and spark_application_id ="
                    + " (select application_id from sweep_application order by started_at desc limit 1)"),
                    "trained by the survivor");
        }
        assertParquetOnce(work, "survivor", 16, 16);
    }

    static Set<String> ids(DatabaseSettings db, String sql) throws Exception {
        Set<String> ids = new HashSet<>();
        try (var c = db.connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            while (rs.next()) ids.add(rs.getString(1));
        }
        return ids;
    }

    @Test
    void an_application_under_a_time_limit_exits_in_time_with_the_rest_queued(@TempDir Path work) throws Exception {
        // more runs than any machine here trains in the limit: the limit, not the work, ends the application
        Path spec = Files.writeString(work.resolve("limited.json"), spec("limited", 150));
        DatabaseSettings db = TestDatabase.create(CooperativeSweepTest.class);
        Instant start = Instant.now();
        Process limited = ChurnProcess.start(work, db, "limited.log", "sweep", spec.toString(), "--time-limit", "60s");
        String log = finish(limited, work.resolve("limited.log"));
        Duration took = Duration.between(start, Instant.now());

        // the limit counts from the process's start
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "ended within the limit: " + took + "\n" + log);
        int complete = count(db, "select count(*) from run where status = 'complete'");
        int queued = count(db, "select count(*) from run where status = 'queued'");
        assertTrue(complete > 0 && queued > 0, complete + " complete, " + queued + " queued\n" + log);
        assertEquals(300, complete + queued, "nothing left running or failed");
        assertTrue(log.contains("time limit reached: " + queued + " runs left"), log);
        assertTrue(log.contains("churn resubmit limited"), log);
        assertParquetOnce(work, "limited", 300, complete);
    }
}
