package io.churn.driver;

import io.churn.hadoop.HadoopFiles;
import io.churn.sink.SweepExport;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * An export's ranges of complete runs written by the cluster's executors, one task per range, so
 * that a full export of millions of runs takes the cluster's cores and disks rather than the
 * driver's. Only for a results folder every executor reaches (HDFS, an object store); a local
 * master, or a {@code file:} folder (on the driver's disk), exports on the driver's threads. An
 * executor's export tasks hold at most {@value ExecutorStore#CONNECTIONS} connections at once, as
 * its training tasks do; the others wait for one.
 */
final class ExecutorExportParts implements SweepExport.Parts {

    /** This executor JVM's connections for export tasks, made by its first one. */
    private static Semaphore connections;

    private final JavaSparkContext jsc;

    ExecutorExportParts(JavaSparkContext jsc) {
        this.jsc = jsc;
    }

    /** The executors when they can write to {@code resultsUri}, else the driver's threads. */
    static SweepExport.Parts of(JavaSparkContext jsc, String resultsUri) {
        String scheme = HadoopFiles.path(resultsUri).toUri().getScheme();
        return jsc.isLocal() || scheme == null || scheme.equals("file") ? SweepExport.THREADS
                : new ExecutorExportParts(jsc);
    }

    @Override
    public int parallelism() {
        return jsc.defaultParallelism();
    }

    @Override
    public List<SweepExport.Written> write(List<SweepExport.Part> parts) throws IOException {
        jsc.setJobGroup("churn-export", "exporting " + parts.size() + " ranges of complete runs to Parquet", false);
        try {
            return jsc.parallelize(parts, parts.size()).map(ExecutorExportParts::writeOnExecutor).collect();
        } catch (RuntimeException e) {
            // Spark gave up on a range (every attempt failed): the export fails, the partition stays as it was
            throw new IOException("executors could not write the export: " + e.getMessage(), e);
        } finally {
            jsc.clearJobGroup();
        }
    }

    /** Writes {@code part} on one of this executor's bounded connections, waiting for one if need be. */
    private static SweepExport.Written writeOnExecutor(SweepExport.Part part) throws Exception {
        Semaphore permits;
        synchronized (ExecutorExportParts.class) {
            if (connections == null) connections = new Semaphore(ExecutorStore.connections(SparkEnv.get().conf()));
            permits = connections;
        }
        permits.acquire();
        try {
            return part.write();
        } finally {
            permits.release();
        }
    }
}
