package io.churn.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import io.churn.MiniHdfs;
import io.churn.train.Checkpoint;
import io.churn.train.EpochMetrics;
import io.churn.train.Metrics;
import java.util.List;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PBT weight store on a real HDFS (Hadoop's MiniDFSCluster). */
class WeightStoreTest {

    @Test
    void weights_round_trip_on_hdfs_and_a_second_save_replaces_the_first(@TempDir Path dir) throws Exception {
        MiniDFSCluster hdfs = MiniHdfs.start(dir);
        try {
            FileSystem fs = hdfs.getFileSystem();
            WeightStore store = new WeightStore(fs.getUri() + "/churn/weights/");
            String location = store.path("job", 2, 5);
            assertEquals(fs.getUri() + "/churn/weights/job/gen-2/member-5", location);
            assertFalse(store.exists(location));

            EpochMetrics epoch = new EpochMetrics(new Metrics.Evaluation(0.5, 0.7, 0.1, 0.3, 0.2, 0.05, 0.9, 0.8, 0.7, 0.3),
                    new Metrics.Evaluation(0.6, 0.65, 0.2, 0.4, 0.2, 0.05, 0.9, 0.8, 0.7, 0.3), 1.5);
            store.save(location, new Checkpoint("run-a", "fused", List.of(epoch), new byte[] {1, 2, 3}));
            store.save(location, new Checkpoint("run-b", "dl4j", List.of(epoch, epoch), new byte[] {4, 5, 6, 7}));
            Checkpoint back = store.load(location);
            assertArrayEquals(new byte[] {4, 5, 6, 7}, back.network());
            assertEquals("run-b", back.runId());
            assertEquals("dl4j", back.engine());
            assertEquals(List.of(epoch, epoch), back.history());
            assertEquals(WeightStore.digest(new Checkpoint("other", "fused", List.of(), new byte[] {4, 5, 6, 7})),
                    WeightStore.digest(back), "the digest is of the network state alone");

            FileStatus[] files = fs.listStatus(new org.apache.hadoop.fs.Path("/churn/weights/job/gen-2"));
            assertEquals(1, files.length, "only the renamed file remains");
            assertTrue(files[0].getPath().getName().equals("member-5"));

            store.save(store.path("job", 0, 0), new Checkpoint("run-c", "fused", List.of(), new byte[0]));
            assertEquals(0, store.load(store.path("job", 0, 0)).network().length);
            assertThrows(IOException.class, () -> store.load(store.path("job", 9, 9)));
        } finally {
            hdfs.shutdown();
        }
    }
}
