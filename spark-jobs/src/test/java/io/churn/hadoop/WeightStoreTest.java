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
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

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

            var params = Nd4j.linspace(1, 12, 12, DataType.FLOAT).reshape(1, 12);
            var state = Nd4j.linspace(-1, 1, 24, DataType.FLOAT).reshape(1, 24);
            store.save(location, new WeightStore.Weights(params, state, 40, 3));
            store.save(location, new WeightStore.Weights(params.mul(2), state, 80, 6));
            WeightStore.Weights back = store.load(location);
            assertArrayEquals(params.mul(2).toFloatVector(), back.params().toFloatVector());
            assertArrayEquals(state.toFloatVector(), back.updaterState().toFloatVector());
            assertEquals(80, back.iterations());
            assertEquals(6, back.epochs());

            FileStatus[] files = fs.listStatus(new org.apache.hadoop.fs.Path("/churn/weights/job/gen-2"));
            assertEquals(1, files.length, "only the renamed file remains");
            assertTrue(files[0].getPath().getName().equals("member-5"));

            store.save(store.path("job", 0, 0), new WeightStore.Weights(params, null, 1, 1));
            assertEquals(null, store.load(store.path("job", 0, 0)).updaterState());
            assertThrows(IOException.class, () -> store.load(store.path("job", 9, 9)));
        } finally {
            hdfs.shutdown();
        }
    }
}
