package io.churn.cli;

import io.churn.SqlArrays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep in which half the runs diverge, through the command line as on a cluster ({@code churn}
 * processes on local[2] against one PostgreSQL): the diverged runs are results of their own in
 * PostgreSQL and Parquet, with histories that end at the non-finite epoch, the other runs train
 * on, {@code status} counts them, and only {@code resubmit --retry-diverged} trains them again.
 */
class DivergedSweepTest {

    /**
     * SGD with momentum at learning rate 9.9 blows a 6-layer leaky-ReLU network up in its first
     * epoch, whatever the seed (leaky units do not die, which would leave the loss finite); at 0.01
     * it trains.
     */
    static final String SPEC = """
            { "name": "diverge", "seed": 3, "repetitions": 2, "engine": "fused",
              "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [6], "size": [2000],
                        "learning_rate": [0.01, 9.9], "optimizer": ["sgd"], "momentum": [0.9],
                        "activation": ["leaky_relu"], "batch_size": [64], "epochs": [4] } }
            """;
    static final int EPOCHS = 4;
    /** Every per-epoch history, as SQL and Parquet name it. */
    static final List<String> HISTORIES = List.of("train_loss", "test_loss", "train_accuracy", "test_accuracy",
            "train_mean_squared_error", "test_mean_squared_error", "train_mean_absolute_error",
            "test_mean_absolute_error", "train_root_mean_squared_error", "test_root_mean_squared_error",
            "train_mean_squared_logarithmic_error", "test_mean_squared_logarithmic_error", "train_hinge",
            "test_hinge", "train_squared_hinge", "test_squared_hinge", "train_cosine_similarity",
            "test_cosine_similarity", "train_kullback_leibler_divergence", "test_kullback_leibler_divergence",
            "epoch_seconds");
    static final Duration LIMIT = Duration.ofMinutes(4);

    /** One run as a sink holds it: its ledger fields and every history. */
    record Stored(String status, String error, int attempts, double learningRate, Map<String, List<Double>> histories) {
    }

    static Map<String, Stored> postgres(DatabaseSettings db) throws Exception {
        Map<String, Stored> runs = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select r.* from run r join sweep_run w using (run_id)"
                     + " where w.sweep = 'diverge'")) {
            while (rs.next()) {
                Map<String, List<Double>> packed = SqlArrays.histories(rs);
                Map<String, List<Double>> h = new LinkedHashMap<>();
                for (String column : HISTORIES) h.put(column, packed == null ? null : packed.get(column));
                runs.put(rs.getString("run_id"), new Stored(rs.getString("status"), rs.getString("error"),
                        rs.getInt("attempts"), rs.getDouble("learning_rate"), h));
            }
        }
        return runs;
    }

    static Map<String, Stored> parquet(Path work) {
        Map<String, Stored> runs = new HashMap<>();
        List<Row> rows = SparkTestSession.get().read().parquet(work.resolve("results").resolve("runs").toString())
                .where("sweep = 'diverge'").collectAsList();
        for (Row r : rows) {
            Map<String, List<Double>> h = new LinkedHashMap<>();
            for (String column : HISTORIES) {
                int i = r.fieldIndex(column);
                h.put(column, r.isNullAt(i) ? null : r.<Double>getList(i));
            }
            runs.put(r.getString(r.fieldIndex("run_id")), new Stored(r.getString(r.fieldIndex("status")),
                    r.getString(r.fieldIndex("error")), r.getInt(r.fieldIndex("attempts")),
                    r.getDouble(r.fieldIndex("learning_rate")), h));
        }
        assertEquals(rows.size(), runs.size(), "one row per run");
        return runs;
    }

    /**
     * Checks what a finished sweep stored: the same in both sinks; the runs at learning rate 0.01
     * complete, every epoch finite; those at 9.9 diverged, every history ending with the first
     * epoch whose training loss is not finite, and the error saying which; each trained
     * {@code attempts} times. Returns the diverged runs' ids.
     */
    static List<String> assertStored(DatabaseSettings db, Path work, int divergedAttempts) throws Exception {
        Map<String, Stored> sql = postgres(db);
        assertEquals(4, sql.size());
        assertEquals(sql, parquet(work), "Parquet holds what PostgreSQL holds");
        for (Map.Entry<String, Stored> e : sql.entrySet()) {
            Stored r = e.getValue();
            List<Double> loss = r.histories().get("train_loss");
            assertNotNull(loss, e.getKey());
            if (r.learningRate() < 1) {
                assertEquals("complete", r.status(), r.error());
                assertEquals(1, r.attempts(), "a complete run is never trained again");
                assertEquals(EPOCHS, loss.size());
                assertTrue(loss.stream().allMatch(Double::isFinite), loss.toString());
            } else {
                assertEquals("diverged", r.status(), r.error());
                assertEquals(divergedAttempts, r.attempts());
                int last = loss.size();
                assertTrue(last < EPOCHS, "training stopped when the loss went non-finite: " + loss);
                assertFalse(Double.isFinite(loss.get(last - 1)), loss.toString());
                assertTrue(loss.subList(0, last - 1).stream().allMatch(Double::isFinite), loss.toString());
                assertTrue(r.error().startsWith("training diverged: train loss "), r.error());
                assertTrue(r.error().contains(" after epoch " + last + " (learning rate 9.9)"), r.error());
            }
            for (String column : HISTORIES) {
                List<Double> h = r.histories().get(column);
                assertNotNull(h, column + " of " + e.getKey());
                assertEquals(loss.size(), h.size(), column + " has an entry for every epoch the run trained");
            }
        }
        return sql.entrySet().stream().filter(e -> e.getValue().status().equals("diverged")).map(Map.Entry::getKey)
                .sorted().toList();
    }

    @Test
    void diverged_runs_are_results_counted_by_status_and_trained_again_only_when_asked(@TempDir Path work)
            throws Exception {
        Path spec = Files.writeString(work.resolve("diverge.json"), SPEC);
        DatabaseSettings db = TestDatabase.create(DivergedSweepTest.class);

        CommandOutput sweep = ChurnProcess.run(work, db, LIMIT, "sweep.log", "sweep", spec.toString());
        assertEquals(0, sweep.code(), "diverged runs are not failures:\n" + sweep.out());
        assertTrue(sweep.out().contains("4 runs, 0 already complete, 4 trained (0 failed, 2 diverged)"), sweep.out());
        List<String> diverged = assertStored(db, work, 1);
        assertEquals(2, diverged.size(), diverged.toString());

        CommandOutput status = status(db, "diverge");
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("  complete        2\n  diverged        2\n  failed          0\n"), status.out());
        assertTrue(status.out().contains("all 4 runs finished"), status.out());
        assertTrue(status.out().contains("train the diverged runs again: churn resubmit diverge --retry-diverged"),
                status.out());
        CommandOutput all = status(db);
        assertTrue(all.out().contains("sweep                        runs complete diverged   failed  running   queued\n"
                + "diverge                         4        2        2        0        0        0\n"), all.out());

        CommandOutput plain = ChurnProcess.run(work, db, LIMIT, "resubmit.log", "resubmit", "diverge");
        assertEquals(0, plain.code(), plain.out());
        assertTrue(plain.out().contains("[diverge] resubmitting runs that are [queued, failed]\n"), plain.out());
        assertTrue(plain.out().contains("[diverge] 4 runs: 2 already complete, training 0 in "), plain.out());
        assertTrue(plain.out().contains("(2 runs not selected: see churn status diverge)"), plain.out());
        assertEquals(diverged, assertStored(db, work, 1), "a diverged run is a result, not retried by default");

        CommandOutput retry = ChurnProcess.run(work, db, LIMIT, "resubmit-diverged.log", "resubmit", "diverge",
                "--retry-diverged");
        assertEquals(0, retry.code(), retry.out());
        assertTrue(retry.out().contains("[diverge] resubmitting runs that are [queued, failed, diverged]\n"),
                retry.out());
        assertTrue(retry.out().contains("[diverge] 4 runs: 2 already complete, training 2 in "), retry.out());
        assertTrue(retry.out().contains("4 runs, 2 already complete, 2 trained (0 failed, 2 diverged)"), retry.out());
        // trained a second time from scratch, the same seed diverges the same way again
        assertEquals(diverged, assertStored(db, work, 2));
    }

    /** {@code churn status [SWEEP]} against the test's database, in this JVM. */
    private static CommandOutput status(DatabaseSettings db, String... sweep) {
        List<String> args = new ArrayList<>(List.of("status"));
        args.addAll(List.of(sweep));
        args.addAll(TestDatabase.cliOptions(db));
        return CommandOutput.churn(args.toArray(String[]::new));
    }
}
