package io.churn.driver;

import io.churn.hadoop.HadoopFiles;
import io.churn.sink.SweepExport;
import java.io.IOException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * An export's ranges of complete runs written by the cluster's executors, one task per range, so
 * that a full export of millions of runs takes the cluster's cores and disks rather than the
 * driver's. Only for a results folder every executor reaches (HDFS, an object store); a local
 * master, or a {@code file:} folder (on the driver's disk), exports on the driver's threads.
 */
final class ExecutorExportParts implements SweepExport.Parts {

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
            return jsc.parallelize(parts, parts.size()).map(SweepExport.Part::write).collect();
        } catch (RuntimeException e) {
            // Spark gave up on a range (every attempt failed): the export fails, the partition stays as it was
            throw new IOException("executors could not write the export: " + e.getMessage(), e);
        } finally {
            jsc.clearJobGroup();
        }
    }
}
