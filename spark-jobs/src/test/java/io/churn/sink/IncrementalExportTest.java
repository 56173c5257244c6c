package io.churn.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.MiniHdfs;
import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.spec.RunSpec;
import io.churn.train.EpochMetrics;
import io.churn.train.Metrics;
import io.churn.train.Provenance;
import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep exported, resubmitted and exported again: only what changed is written, and each run is there once. */
public class IncrementalExportTest {

    static DatabaseSettings db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(IncrementalExportTest.class);
    }

    /** A complete result whose one epoch's training loss is {@code loss}, so a test can tell results apart. */
    public static RunResult complete(RunSpec run, double loss) {
        Metrics.Evaluation m = new Metrics.Evaluation(loss, 0.5, 0.25, 0.5, 0.5, 0.1, 1, 1, 0.5, 0.2);
        return new RunResult(run, RunStatus.COMPLETE, null, "binary", 2, 1, List.of(3, 1), 13L, "fused",
                List.of(new EpochMetrics(m, m, 0.01)), 0, Provenance.CURRENT, Instant.now(), Instant.now());
    }

    /** Each run's status and first training loss (null without one), as the dataset reads in Spark. */
    public static Map<String, String> rows(String partition) {
        Map<String, String> rows = new HashMap<>();
        for (Row r : SparkTestSession.get().read().parquet(partition).select("run_id", "status", "train_loss")
                .collectAsList()) {
            String value = r.getString(1) + (r.isNullAt(2) || r.getList(2).isEmpty() ? "" : " " + r.getList(2).get(0));
            assertEquals(null, rows.put(r.getString(0), value), "run " + r.getString(0) + " is in the dataset once");
        }
        return rows;
    }

    @Test
    void after_a_resubmit_only_the_changed_runs_are_written_and_each_run_is_there_once_with_its_newest_result(
            @TempDir Path work) throws Exception {
        List<RunSpec> runs = RunStoreTest.runs("incremental", 1).subList(0, 16);
        String results = work.resolve("results").toUri().toString();
        String partition = ResultDataset.RUNS.partitionUri(results, "incremental");
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("incremental", "{}", runs);
            for (int i = 0; i < 10; i++) RunStoreTest.save(store, complete(runs.get(i), 1.0));
            for (int i = 10; i < 14; i++) RunStoreTest.save(store, RunStoreTest.failed(runs.get(i), "out of memory"));
            // runs 14 and 15 stay queued

            SweepExport.Exported first = SweepExport.export(db, "incremental", results, false);
            assertEquals(new SweepExport.Exported(16, 16, true), first, "the first export to a folder is a full one");
            Set<String> firstFiles = files(work, partition);
            Map<String, String> before = rows(partition);
            assertEquals("failed", before.get(runs.get(10).runId()));
            assertEquals("complete 1.0", before.get(runs.get(0).runId()));

            // the resubmit: the failed runs and one queued run are trained again, now with another result
            for (int i = 10; i < 15; i++) RunStoreTest.save(store, complete(runs.get(i), 2.0));
            // the folder's URI as it reads once the folder exists, with a trailing slash: the same folder
            SweepExport.Exported second = SweepExport.export(db, "incremental", results + "/", false);
            assertEquals(new SweepExport.Exported(16, 6, false), second,
                    "written: the 5 runs completed since, and the one still queued");
            Map<String, String> after = rows(partition);
            assertEquals(16, after.size());
            for (int i = 0; i < 16; i++) {
                String expected = i < 10 ? "complete 1.0" : i < 15 ? "complete 2.0" : "queued";
                assertEquals(expected, after.get(runs.get(i).runId()), "run " + i);
            }
            Set<String> secondFiles = files(work, partition);
            Set<String> kept = firstFiles.stream().filter(f -> f.startsWith("complete-")).collect(Collectors.toSet());
            assertEquals(1, kept.size());
            assertTrue(secondFiles.containsAll(kept), "the first export's file of complete runs is kept, not rewritten");
            assertEquals(3, secondFiles.size(), "two files of complete runs and one of the rest: " + secondFiles);

            // a retried task writes its result again under the same claim: nothing new to export
            Claim claim = store.ledger().claim(runs.get(15), RunStoreTest.ANY, RunStoreTest.HERE).orElseThrow();
            assertTrue(store.results().save(complete(runs.get(15), 3.0), claim));
            assertTrue(store.results().save(complete(runs.get(15), 3.0), claim));
            assertEquals(new SweepExport.Exported(16, 1, false), SweepExport.export(db, "incremental", results, false));
            assertEquals(new SweepExport.Exported(16, 0, false), SweepExport.export(db, "incremental", results, false),
                    "nothing changed, nothing written");
            Map<String, String> settled = rows(partition);
            assertEquals(16, settled.size());
            assertEquals("complete 3.0", settled.get(runs.get(15).runId()));

            SweepExport.Exported full = SweepExport.export(db, "incremental", results, true);
            assertEquals(new SweepExport.Exported(16, 16, true), full);
            assertEquals(settled, rows(partition), "a full export reads as the incremental ones did");
        }
    }

    @Test
    void runs_that_leave_the_files_of_complete_runs_leave_them_by_a_full_export() throws Exception {
        Path work = Files.createTempDirectory("churn-incremental-edit");
        List<RunSpec> runs = RunStoreTest.runs("incremental_edit", 1).subList(0, 6);
        String results = work.resolve("results").toUri().toString();
        String partition = ResultDataset.RUNS.partitionUri(results, "incremental_edit");
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("incremental_edit", "{}", runs);
            for (RunSpec run : runs) RunStoreTest.save(store, complete(run, 1.0));
            assertEquals(new SweepExport.Exported(6, 6, true), SweepExport.export(db, "incremental_edit", results, false));

            store.ledger().registerSweep("incremental_edit", "{}", runs.subList(0, 4));
            assertEquals(new SweepExport.Exported(4, 4, true), SweepExport.export(db, "incremental_edit", results, false));
            assertEquals(runs.subList(0, 4).stream().map(RunSpec::runId).collect(Collectors.toSet()),
                    rows(partition).keySet());

            // the runs rejoin, complete long ago: an incremental export adds them
            store.ledger().registerSweep("incremental_edit", "{}", runs);
            assertEquals(new SweepExport.Exported(6, 2, false), SweepExport.export(db, "incremental_edit", results, false));
            assertEquals(6, rows(partition).size());

            // a complete run made failed by hand leaves the file it is in: the next export is a full one
            try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
                s.executeUpdate("update run set status = 'failed', error = 'lost' where run_id = '"
                        + runs.get(0).runId() + "'");
            }
            assertEquals(new SweepExport.Exported(6, 6, true), SweepExport.export(db, "incremental_edit", results, false));
            assertEquals("failed 1.0", rows(partition).get(runs.get(0).runId()), "its row as the ledger has it now");
            RunStoreTest.save(store, complete(runs.get(0), 4.0));
            assertEquals(new SweepExport.Exported(6, 1, false), SweepExport.export(db, "incremental_edit", results, false));
            assertEquals("complete 4.0", rows(partition).get(runs.get(0).runId()));

            // another results folder starts with a full export; a lost file of complete runs forces one too
            String elsewhere = work.resolve("elsewhere").toUri().toString();
            assertEquals(new SweepExport.Exported(6, 6, true), SweepExport.export(db, "incremental_edit", elsewhere, false));
            Path lost = Path.of(java.net.URI.create(ResultDataset.RUNS.partitionUri(elsewhere, "incremental_edit")));
            try (Stream<Path> files = Files.list(lost)) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("complete-")).toList()) {
                    Files.delete(f);
                }
            }
            assertEquals(new SweepExport.Exported(6, 6, true), SweepExport.export(db, "incremental_edit", elsewhere, false));
            assertEquals(6, rows(ResultDataset.RUNS.partitionUri(elsewhere, "incremental_edit")).size());
        }
    }

    @Test
    void on_hdfs_the_kept_files_move_into_the_new_version(@TempDir Path work) throws Exception {
        List<RunSpec> runs = RunStoreTest.runs("incremental_hdfs", 1).subList(0, 4);
        MiniDFSCluster hdfs = MiniHdfs.start(work.resolve("hdfs"));
        try (RunStore store = RunStore.open(db)) {
            FileSystem fs = hdfs.getFileSystem();
            String results = fs.getUri() + "/churn/results";
            String partition = ResultDataset.RUNS.partitionUri(results, "incremental_hdfs");
            store.ledger().registerSweep("incremental_hdfs", "{}", runs);
            RunStoreTest.save(store, complete(runs.get(0), 1.0));
            RunStoreTest.save(store, RunStoreTest.failed(runs.get(1), "lost"));
            assertEquals(new SweepExport.Exported(4, 4, true), SweepExport.export(db, "incremental_hdfs", results, false));

            RunStoreTest.save(store, complete(runs.get(1), 2.0));
            assertEquals(new SweepExport.Exported(4, 3, false), SweepExport.export(db, "incremental_hdfs", results, false));
            Map<String, String> rows = rows(partition);
            assertEquals("complete 1.0", rows.get(runs.get(0).runId()));
            assertEquals("complete 2.0", rows.get(runs.get(1).runId()));
            assertEquals("queued", rows.get(runs.get(3).runId()));
            List<String> names = Stream.of(fs.listStatus(new org.apache.hadoop.fs.Path(partition)))
                    .map(FileStatus::getPath).map(org.apache.hadoop.fs.Path::getName).toList();
            assertEquals(3, names.size(), "two files of complete runs and one of the rest: " + names);
            assertFalse(names.stream().anyMatch(n -> n.startsWith(".")), "no checksum or staging files: " + names);
        } finally {
            hdfs.shutdown();
        }
    }

    /** The names of the data files the partition holds. */
    private static Set<String> files(Path work, String partition) throws Exception {
        try (Stream<Path> files = Files.list(Path.of(java.net.URI.create(partition)))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).collect(Collectors.toSet());
        }
    }
}
