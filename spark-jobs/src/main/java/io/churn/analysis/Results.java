package io.churn.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import io.churn.sink.ResultDataset;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet datasets under RESULTS (any Hadoop URI), one partition at a time: RESULTS holds
 * several datasets side by side ({@code runs/}, {@code summary/}, {@code pbt_epoch/},
 * {@code pbt_lineage/}), each partitioned by sweep or job.
 */
public final class Results {

    /** The columns of {@code pbt_lineage}, for a job that has no lineage (no member ever copied). */
    static final StructType LINEAGE_SCHEMA = StructType.fromDDL("generation INT, member INT, donor INT,"
            + " score DOUBLE, donor_score DOUBLE, hyperparameters_before STRING, hyperparameters_after STRING,"
            + " changes STRING, pbt STRING");

    private Results() {
    }

    /** A sweep's runs, one row per run, with their {@code sweep} column. */
    public static Dataset<Row> runs(SparkSession spark, String resultsUri, String sweep) {
        return partition(spark, ResultDataset.RUNS, resultsUri, sweep, "no results for sweep '" + sweep + "'");
    }

    /** A sweep's summary as {@link Summaries#write} left it. */
    public static Dataset<Row> summary(SparkSession spark, String resultsUri, String sweep) {
        return partition(spark, ResultDataset.SUMMARY, resultsUri, sweep,
                "no summary for sweep '" + sweep + "' (churn summarize " + sweep + ")");
    }

    /** A PBT job's records per member per epoch. */
    public static Dataset<Row> pbtEpoch(SparkSession spark, String resultsUri, String pbt) {
        return partition(spark, ResultDataset.PBT_EPOCH, resultsUri, pbt, "no PBT results for '" + pbt + "'");
    }

    /** A PBT job's exploits (who copied whom); empty when no member ever copied another. */
    public static Dataset<Row> pbtLineage(SparkSession spark, String resultsUri, String pbt) {
        if (!exists(spark, new Path(ResultDataset.PBT_LINEAGE.partitionUri(resultsUri, pbt)))) {
            return spark.createDataFrame(List.<Row>of(), LINEAGE_SCHEMA);
        }
        return partition(spark, ResultDataset.PBT_LINEAGE, resultsUri, pbt, "no lineage for '" + pbt + "'");
    }

    private static Dataset<Row> partition(SparkSession spark, ResultDataset dataset, String resultsUri, String name,
                                          String missing) {
        Path partition = new Path(dataset.partitionUri(resultsUri, name));
        if (!exists(spark, partition)) {
            throw new IllegalArgumentException(missing + " at " + partition);
        }
        return spark.read().option("basePath", dataset.uri(resultsUri)).parquet(partition.toString());
    }

    private static boolean exists(SparkSession spark, Path path) {
        try {
            return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
