package io.churn.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.churn.MiniHdfs;
import io.churn.train.Checkpoint;
import io.churn.train.EpochMetrics;
import io.churn.train.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints on a real HDFS (Hadoop's MiniDFSCluster). */
class HadoopCheckpointStoreTest {

    static Checkpoint checkpoint(String runId, int epochs, byte fill) {
        EpochMetrics m = new EpochMetrics(new Metrics.Evaluation(0.5, 0.7, 0.1, 0.3, 0.2, 0.05, 0.9, 0.8, 0.7, 0.3),
                new Metrics.Evaluation(0.6, 0.8, 0.2, 0.4, 0.2, 0.05, 0.9, 0.8, 0.7, 0.3), 1.5);
        byte[] network = new byte[100_000];
        Arrays.fill(network, fill);
        return new Checkpoint(runId, "dl4j", java.util.Collections.nCopies(epochs, m), network);
    }

    static void write(FileSystem fs, org.apache.hadoop.fs.Path file, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            out.write(bytes);
        }
    }

    static List<String> names(FileSystem fs, String folder) throws IOException {
        return Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(folder))).map(FileStatus::getPath)
                .map(org.apache.hadoop.fs.Path::getName).sorted().toList();
    }

    @Test
    void checkpoints_save_load_and_remove_on_hdfs_and_torn_files_are_refused(@TempDir Path dir) throws Exception {
        MiniDFSCluster hdfs = MiniHdfs.start(dir);
        try {
            FileSystem fs = hdfs.getFileSystem();
            HadoopCheckpointStore store = new HadoopCheckpointStore(fs.getUri() + "/churn/checkpoints/");
            store.createDirectory();
            String location = store.location("r1");
            assertEquals(fs.getUri() + "/churn/checkpoints/r1.ckpt", location);
            assertNull(store.load("r1"));

            store.save(checkpoint("r1", 2, (byte) 1));
            store.save(checkpoint("r1", 4, (byte) 2));
            store.save(checkpoint("r2", 3, (byte) 3));
            Checkpoint back = store.load("r1");
            assertEquals(4, back.epochs());
            assertEquals("dl4j", back.engine());
            assertArrayEquals(checkpoint("r1", 4, (byte) 2).network(), back.network());
            assertEquals(List.of("r1.ckpt", "r2.ckpt"), names(fs, "/churn/checkpoints"),
                    "only the renamed files remain");

            // a crashed save's temporary file is never read
            org.apache.hadoop.fs.Path file = HadoopFiles.path(location);
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            checkpoint("r1", 6, (byte) 4).write(whole);
            write(fs, new org.apache.hadoop.fs.Path("/churn/checkpoints/.r1.ckpt.0000.tmp"), whole.toByteArray());
            assertEquals(4, store.load("r1").epochs());

            byte[] truncated = Arrays.copyOf(whole.toByteArray(), whole.size() / 2);
            write(fs, file, truncated);
            assertThrows(Checkpoint.CorruptCheckpointException.class, () -> store.load("r1"));
            byte[] flipped = whole.toByteArray();
            flipped[flipped.length / 3] ^= 0x01;
            write(fs, file, flipped);
            assertThrows(Checkpoint.CorruptCheckpointException.class, () -> store.load("r1"));

            store.remove("r1");
            assertNull(store.load("r1"));
            store.remove("r1");
            assertEquals(3, store.load("r2").epochs());
        } finally {
            hdfs.shutdown();
        }
    }
}
