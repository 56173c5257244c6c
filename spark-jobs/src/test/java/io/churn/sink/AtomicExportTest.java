package io.churn.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.MiniHdfs;
import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.spec.RunSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep's Parquet partition replaced again and again while a reader reads the dataset. */
class AtomicExportTest {

    @Test
    void a_reader_never_sees_a_missing_or_mixed_partition_and_leftovers_are_removed(@TempDir Path work)
            throws Exception {
        DatabaseSettings db = TestDatabase.create(AtomicExportTest.class);
        List<RunSpec> runs = RunStoreTest.runs("atomic", 1).subList(0, 3);
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("atomic", "{}", runs);
        }
        String results = work.resolve("results").toUri().toString();
        Path dataset = Path.of(java.net.URI.create(ResultDataset.RUNS.uri(results)));
        Path partition = dataset.resolve("sweep=atomic");
        // what an export from before versions, and a crashed one, left behind
        Files.createDirectories(partition);
        Files.writeString(partition.resolve("part-old.txt"), "a partition in the old layout");
        Path staging = Files.createDirectories(dataset.resolve(".sweep=atomic-0b1e5c2a"));
        Path versions = dataset.resolveSibling(".runs.versions").resolve("sweep=atomic");
        Path replacedLongAgo = Files.createDirectories(versions.resolve("v0000000001000-deadbeef"));
        Path itsSuccessor = Files.createDirectories(versions.resolve("v0000000002000-0ddba11s"));

        assertEquals(3, ParquetExport.export(db, "atomic", results));
        SparkSession spark = SparkTestSession.get();
        assertEquals(3, spark.read().parquet(dataset.toString()).where("sweep = 'atomic'").count());

        AtomicBoolean exporting = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger missingFiles = new AtomicInteger();
        Set<String> seen = new ConcurrentSkipListSet<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            while (exporting.get() || reads.get() < 5) {
                try {
                    seen.add("dataset " + spark.read().parquet(dataset.toString()).where("sweep = 'atomic'").count());
                    seen.add("partition " + spark.read().parquet(partition.toString()).count());
                    reads.incrementAndGet();
                } catch (Exception e) { // Spark's SparkException is checked, and thrown unannounced
                    // a read that listed the version a swap then replaced fails whole: asked again, it reads the new one
                    java.io.StringWriter trace = new java.io.StringWriter();
                    e.printStackTrace(new java.io.PrintWriter(trace));
                    if (!trace.toString().contains("FileNotFoundException")) throw new IllegalStateException(e);
                    missingFiles.incrementAndGet();
                }
            }
        });
        for (int i = 0; i < 15; i++) {
            assertEquals(3, ParquetExport.export(db, "atomic", results));
        }
        exporting.set(false);
        reader.get();
        assertTrue(reads.get() >= 5, "the reader read while exports ran");
        assertEquals(Set.of("dataset 3", "partition 3"), seen, missingFiles + " reads met a swap");

        assertTrue(Files.isSymbolicLink(partition));
        assertFalse(Files.exists(staging), "an old staging folder is removed");
        assertFalse(Files.exists(replacedLongAgo), "a version replaced long ago is removed");
        assertTrue(Files.exists(itsSuccessor), "one replaced just now is kept for readers still reading it");
        try (Stream<Path> left = Files.list(dataset)) {
            assertEquals(List.of("sweep=atomic"), left.map(p -> p.getFileName().toString()).toList(),
                    "nothing but the partition in the dataset folder");
        }
        try (Stream<Path> kept = Files.list(versions)) {
            // the 16 exports, the old layout's files, and the successor: all within their grace
            assertEquals(18, kept.count());
        }
    }

    @Test
    void on_hdfs_the_first_export_makes_the_dataset_and_a_later_one_moves_the_previous_version_aside(
            @TempDir Path work) throws Exception {
        DatabaseSettings db = TestDatabase.create(AtomicExportTest.class);
        List<RunSpec> runs = RunStoreTest.runs("atomic_hdfs", 1).subList(0, 2);
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep("atomic_hdfs", "{}", runs);
        }
        MiniDFSCluster hdfs = MiniHdfs.start(work.resolve("hdfs"));
        try {
            FileSystem fs = hdfs.getFileSystem();
            String results = fs.getUri() + "/churn/results";
            String partition = ResultDataset.RUNS.partitionUri(results, "atomic_hdfs");
            org.apache.hadoop.fs.Path versions = new org.apache.hadoop.fs.Path(results + "/.runs.versions/sweep=atomic_hdfs");
            SparkSession spark = SparkTestSession.get();

            // nothing under results yet: no dataset folder to rename the partition into
            assertEquals(2, ParquetExport.export(db, "atomic_hdfs", results));
            assertEquals(2, spark.read().parquet(partition).count());
            assertEquals(0, fs.listStatus(versions).length, "the new version became the partition");

            assertEquals(2, ParquetExport.export(db, "atomic_hdfs", results));
            assertEquals(2, spark.read().parquet(partition).count());
            assertEquals(1, fs.listStatus(versions).length, "the replaced partition is kept for its grace");
        } finally {
            hdfs.shutdown();
        }
    }
}
