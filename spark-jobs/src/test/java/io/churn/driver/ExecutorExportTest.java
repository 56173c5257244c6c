package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.MiniHdfs;
import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.IncrementalExportTest;
import io.churn.sink.ResultDataset;
import io.churn.sink.RunStore;
import io.churn.sink.SweepExport;
import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import io.churn.spec.SpecParser;
import io.churn.sink.ClaimRules;
import io.churn.sink.Placement;
import io.churn.train.Provenance;
import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An export whose ranges of complete runs are written by Spark tasks, to HDFS: each run once, its newest result. */
class ExecutorExportTest {

    @Test
    void ranges_written_by_executors_hold_each_run_once_with_its_newest_result(@TempDir Path work) throws Exception {
        DatabaseSettings db = TestDatabase.create(ExecutorExportTest.class);
        List<RunSpec> runs = GridExpander.expand(SpecParser.parse("""
                { "name": "by_executors", "repetitions": 1100, "seed": 5,
                  "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2], "size": [64],
                            "learning_rate": [0.01], "batch_size": [32], "epochs": [1] } }
                """, "t"));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        MiniDFSCluster hdfs = MiniHdfs.start(work.resolve("hdfs"));
        try (RunStore store = RunStore.open(db)) {
            FileSystem fs = hdfs.getFileSystem();
            String results = fs.getUri() + "/churn/results";
            assertSame(SweepExport.THREADS, ExecutorExportParts.of(jsc, results), "a local master exports on its threads");
            SweepExport.Parts executors = new ExecutorExportParts(jsc);
            store.ledger().registerSweep("by_executors", "{}", runs);
            ClaimRules rules = new ClaimRules("tests", Set.of(RunStatus.QUEUED, RunStatus.FAILED), Instant.now(),
                    ClaimRules.DEFAULT_LEASE, ClaimRules.DEFAULT_MAX_ATTEMPTS);
            Placement here = new Placement("1", "app");
            for (RunSpec run : runs.subList(0, 1050)) {
                store.results().save(IncrementalExportTest.complete(run, 1.0), store.ledger().claim(run, rules, here).orElseThrow());
            }
            RunSpec failed = runs.get(1050);
            store.results().save(new RunResult(failed, RunStatus.FAILED, "lost", null, null, null, null, null, null,
                    List.of(), 0, Provenance.CURRENT, Instant.now(), Instant.now()),
                    store.ledger().claim(failed, rules, here).orElseThrow());

            String partition = ResultDataset.RUNS.partitionUri(results, "by_executors");
            assertEquals(new SweepExport.Exported(1100, 1100, true),
                    SweepExport.export(db, "by_executors", results, true, executors));
            List<String> first = dataFiles(fs, partition);
            assertEquals(3, first.size(), "two ranges (local[2]) of complete runs and one of the rest: " + first);

            // the failed run is trained again: only it is written, and it reads as complete
            ClaimRules again = new ClaimRules("tests-again", Set.of(RunStatus.FAILED), Instant.now(),
                    ClaimRules.DEFAULT_LEASE, ClaimRules.DEFAULT_MAX_ATTEMPTS);
            store.results().save(IncrementalExportTest.complete(failed, 2.0), store.ledger().claim(failed, again, here).orElseThrow());
            assertEquals(new SweepExport.Exported(1100, 50, false),
                    SweepExport.export(db, "by_executors", results, false, executors));
            Map<String, String> rows = IncrementalExportTest.rows(partition);
            assertEquals(1100, rows.size());
            assertEquals("complete 1.0", rows.get(runs.get(0).runId()));
            assertEquals("complete 2.0", rows.get(failed.runId()));
            assertEquals("queued", rows.get(runs.get(1099).runId()));
            assertFalse(dataFiles(fs, partition).stream().anyMatch(n -> n.startsWith(".")), "no attempt's file is left");
        } finally {
            hdfs.shutdown();
        }
    }

    private static List<String> dataFiles(FileSystem fs, String partition) throws Exception {
        return Stream.of(fs.listStatus(new org.apache.hadoop.fs.Path(partition))).map(FileStatus::getPath)
                .map(org.apache.hadoop.fs.Path::getName).filter(n -> !n.endsWith(".crc")).toList();
    }
}
