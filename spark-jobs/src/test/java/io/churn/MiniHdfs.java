package io.churn;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real single-datanode HDFS (Hadoop's MiniDFSCluster) keeping its blocks under a test folder. */
public final class MiniHdfs {

    private MiniHdfs() {
    }

    /** A started cluster; the caller shuts it down. */
    public static MiniDFSCluster start(Path dir) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toString());
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        return hdfs;
    }
}
