package io.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.bench.EngineBench;
import io.churn.train.Engine;
import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' plumbing on tiny inputs; their figures are never asserted. */
class BenchCommandTest {

    @Test
    void bench_engines_prints_the_peak_then_a_row_per_depth_batch_and_size_with_every_engine() {
        CommandOutput run = CommandOutput.churn("bench", "engines", "--sizes", "277", "--batches", "32,16",
                "--depths", "3", "--rows", "320", "--epochs", "1", "--seconds", "0", "--rounds", "2", "--peak-order", "64");
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).matches("peak: OpenBLAS sgemm 64\\^3 through JavaCPP, one thread: [0-9.]+ GFLOP/s.*"),
                lines.get(0));
        assertTrue(lines.get(1).matches("engines: OpenBLAS [0-9.]+-[0-9.]+, .*"), lines.get(1));
        assertTrue(lines.get(2).contains("a step is 6 x parameters x batch FLOPs"), lines.get(2));
        for (Engine e : EngineBench.engines()) {
            assertTrue(lines.get(3).contains(e.specName() + "_us"), lines.get(3));
        }
        assertEquals(6, lines.size(), run.out());
        assertTrue(lines.get(4).matches("\\s+3\\s+32\\s+277 7,7 .*"), lines.get(4));
        assertTrue(lines.get(5).matches("\\s+3\\s+16\\s+277 7,7 .*"), lines.get(5));
    }

    @Test
    void bench_butter_prints_a_line_per_size_and_the_whole_grid() {
        CommandOutput run = CommandOutput.churn("bench", "butter", "--sizes", "64,256", "--depths", "2,3",
                "--shapes", "rectangle", "--rows", "320", "--epochs", "1", "--seconds", "0", "--run-epochs", "10");
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).startsWith("BUTTER-like grid: shapes rectangle, depths 2,3, sizes 2^6,2^8"), lines.get(0));
        assertTrue(lines.get(1).contains("= 20 steps"), lines.get(1));
        assertEquals(6, lines.size(), run.out());
        assertTrue(lines.get(3).matches("\\s+2\\^6\\s+2 .*"), lines.get(3));
        assertTrue(lines.get(4).matches("\\s+2\\^8\\s+2 .*"), lines.get(4));
        assertTrue(lines.get(5).startsWith("whole grid: 4 runs, "), lines.get(5));
    }

    @Test
    void bench_scale_plans_records_ingests_and_exports_with_every_result_written_once() {
        CommandOutput run = CommandOutput.churn("bench", "scale", "--spec", "../conf/sweeps/quickstart.json",
                "--slots", "4", "--runs", "10", "--results", "30", "--executors", "2", "--cores", "3",
                "--executor-connections", "2", "--epochs", "5", "--export", "20", "--export-added", "5");
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(6, lines.size(), run.out());
        assertTrue(lines.get(0).matches("plan: \\.\\./conf/sweeps/quickstart\\.json: 24 runs planned in [0-9.]+ s, at most"
                + " [0-9,]+ MB of heap in use \\(-?[0-9,]+ MB kept by the plan; max heap [0-9,]+ MB\\)"), lines.get(0));
        assertTrue(lines.get(1).startsWith("  [quickstart] dry run: 24 runs = 24 experiments"), lines.get(1));
        assertTrue(lines.get(2).startsWith("  [quickstart] estimated training: "), lines.get(2));
        assertTrue(lines.get(3).startsWith("ledger: 10 runs: expand "), lines.get(3));
        // each writer claims its own runs: all 30 written, none lost to another's claim or to a shared connection
        assertTrue(lines.get(4).matches("ingest: 30 results of 5 epochs \\(histories packed beforehand, [0-9]+ KB each\\)"
                        + " by 2 executors x 3 writers on 4 connections: [0-9.]+ s = [0-9,]+ results/s, [0-9]+ MB/s of histories; the server's"
                        + " ceiling, plain inserts of the same histories into a bare table: [0-9,]+/s \\([0-9]+% of it\\)"),
                lines.get(4));
        assertTrue(lines.get(5).matches("export: 20 results of 5 epochs: full [0-9.]+ s \\([0-9,]+ MB\\), then 5 more:"
                + " incremental [0-9.]+ s \\(5 rows written, [0-9.]+ MB\\) = [0-9]+x faster"), lines.get(5));
    }

    @Test
    void bench_scale_measures_a_named_server_on_databases_it_makes_and_drops() throws Exception {
        DatabaseSettings db = TestDatabase.create(BenchCommandTest.class);
        List<String> args = new ArrayList<>(List.of("bench", "scale", "--spec", "none", "--runs", "10", "--results",
                "12", "--executors", "2", "--cores", "2", "--epochs", "5", "--export", "0"));
        args.addAll(TestDatabase.cliOptions(db));
        CommandOutput run = CommandOutput.churn(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        assertTrue(lines.get(0).startsWith("ledger: 10 runs: expand "), lines.get(0));
        assertTrue(lines.get(1).startsWith("ingest: 12 results of 5 epochs"), lines.get(1));
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from pg_database where datname like 'churn_bench_%'")) {
            r.next();
            assertEquals(0, r.getInt(1), "every step's database is dropped after it");
        }
    }
}
