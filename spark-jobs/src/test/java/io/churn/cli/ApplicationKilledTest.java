package io.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
 * The whole application is killed (SIGKILL) mid-sweep; {@code churn resubmit} finishes the rest.
 * Both run as real {@code churn} processes against one PostgreSQL, as on a cluster.
 */
class ApplicationKilledTest {

    static final String SPEC = """
            { "name": "killed", "seed": 5, "repetitions": 3, "engine": "dl4j",
              "grid": { "dataset": ["banana", "wine_quality_white"], "shape": ["rectangle"], "depth": [2, 3],
                        "size": [256], "learning_rate": [0.01], "batch_size": [32], "epochs": [3] } }
            """;

    static Process churn(Path work, DatabaseSettings db, String... args) throws Exception {
        return churnLogged(work, db, "churn-" + args[0] + ".log", args);
    }

    /** A churn process whose output goes to {@code log} in {@code work}. */
    static Process churnLogged(Path work, DatabaseSettings db, String log, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).forEach(command::add);
        command.add("-Xmx2g");
        command.add("-Dspark.master=local[2]");
        command.add("-Dspark.ui.enabled=false");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Churn.class.getName());
        command.addAll(List.of(args));
        command.addAll(TestDatabase.cliOptions(db));
        command.addAll(List.of("--progress-seconds", "1",
                "--results", work.resolve("results").toUri().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(log).toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    static int count(DatabaseSettings db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    @Test
    void resubmit_finishes_a_killed_sweep_with_every_run_once_in_both_sinks(@TempDir Path work) throws Exception {
        Path spec = Files.writeString(work.resolve("killed.json"), SPEC);
        DatabaseSettings db = TestDatabase.create(ApplicationKilledTest.class);
        Process first = churn(work, db, "sweep", spec.toString());
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        String doneSql = "select count(*) from run where status = 'complete'";
        // killed while a run trains: partitions are small, so there are moments between tasks with none
        String midRunSql = "select count(*) from run group by true having count(*) filter (where status = 'complete')"
                + " >= 3 and count(*) filter (where status = 'running') > 0";
        while (count(db, "select count(*) from information_schema.tables where table_name = 'run'") == 0
                || count(db, midRunSql) == 0) {
            assertTrue(first.isAlive(), "the sweep ended before it could be killed: "
                    + Files.readString(work.resolve("churn-sweep.log")));
            assertTrue(Instant.now().isBefore(deadline), "no runs completed in time");
            Thread.sleep(200);
        }
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        int completeAtKill = count(db, doneSql);
        assertTrue(completeAtKill < 12, "killed mid-sweep, " + completeAtKill + " of 12 complete");
        assertTrue(count(db, "select count(*) from run where status = 'running'") > 0, "runs left running");

        Process second = churn(work, db, "resubmit", "killed", "--include-running");
        assertTrue(second.waitFor(4, TimeUnit.MINUTES), "resubmit finished");
        String log = Files.readString(work.resolve("churn-resubmit.log"));
        assertEquals(0, second.exitValue(), log);
        assertTrue(log.contains("already complete, training " + (12 - completeAtKill)), log);

        assertEquals(12, count(db, doneSql));
        assertEquals(12, count(db, "select count(*) from run"));
        assertEquals(12, count(db, "select count(*) from sweep_run where sweep = 'killed'"));
        assertTrue(count(db, "select count(*) from run where attempts = 2") > 0, "interrupted runs retried");
        List<Row> parquet = io.churn.SparkTestSession.get().read()
                .parquet(work.resolve("results").resolve("runs").toString()).where("sweep = 'killed'").collectAsList();
        Set<String> ids = new HashSet<>();
        for (Row r : parquet) {
            ids.add(r.getString(r.fieldIndex("run_id")));
            assertEquals("complete", r.getString(r.fieldIndex("status")));
        }
        assertEquals(12, parquet.size());
        assertEquals(12, ids.size());
    }
}
