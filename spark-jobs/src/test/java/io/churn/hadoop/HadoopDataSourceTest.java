package io.churn.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.data.Task;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import io.churn.MiniHdfs;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datasets read from a real HDFS (Hadoop's MiniDFSCluster), as executors on a cluster read them. */
class HadoopDataSourceTest {

    @Test
    void a_pmlb_file_on_hdfs_loads_like_the_bundled_copy(@TempDir Path dir) throws Exception {
        MiniDFSCluster hdfs = MiniHdfs.start(dir);
        try {
            FileSystem fs = hdfs.getFileSystem();
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path("/data/pmlb/banana.tsv.gz");
            try (InputStream in = Datasets.class.getResourceAsStream("pmlb/banana.tsv.gz");
                 OutputStream out = fs.create(target)) {
                in.transferTo(out);
            }
            String uri = fs.getUri() + target.toString();
            PreparedDataset fromHdfs = Datasets.load(uri, new HadoopDataSource());
            PreparedDataset bundled = Datasets.load("banana");
            assertEquals(Task.BINARY, fromHdfs.task());
            assertEquals(bundled.rows(), fromHdfs.rows());
            assertArrayEquals(bundled.x(), fromHdfs.x());
            assertArrayEquals(bundled.y(), fromHdfs.y());
        } finally {
            hdfs.shutdown();
        }
    }
}
