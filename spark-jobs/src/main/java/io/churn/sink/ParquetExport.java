package io.churn.sink;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a sweep's runs from PostgreSQL to Parquet, one row per run with its epoch histories as
 * arrays, under {@code RESULTS/runs/sweep=NAME/}. Exporting from the system of record (rather than from
 * executors) keeps the two identical after every job, however it ended.
 */
public final class ParquetExport {

    private ParquetExport() {
    }

    /** The export query; sweep names are validated to [A-Za-z0-9_.-], so quoting them inline is safe. */
    static String query(String sweep) {
        if (!sweep.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("not a sweep name: " + sweep);
        }
        return "select w.sweep, " + String.join(", ", RunStore.RUN_COLUMNS.stream().map(c -> "r." + c).toList())
                + " from sweep_run w join run r using (run_id) where w.sweep = '" + sweep + "'";
    }

    /**
     * The runs dataset under RESULTS. Each dataset (runs, summary, pbt_epoch, pbt_lineage) has its own
     * folder, so any one of them reads as a whole with every partition.
     */
    public static String runsUri(String resultsUri) {
        return resultsUri.replaceAll("/+$", "") + "/runs";
    }

    /** Replaces the sweep's partition of the runs dataset under {@code resultsUri}; returns its row count. */
    public static long export(SparkSession spark, DatabaseSettings db, String sweep, String resultsUri) {
        return exportQuery(spark, db, query(sweep), runsUri(resultsUri), "sweep");
    }

    /**
     * Writes the rows of {@code sql} to the Parquet dataset at {@code uri}, replacing only the
     * partitions (values of {@code partitionColumn}) the rows belong to; returns the row count.
     */
    public static long exportQuery(SparkSession spark, DatabaseSettings db, String sql, String uri,
                                   String partitionColumn) {
        var reader = spark.read().format("jdbc")
                .option("url", db.url())
                .option("driver", "org.postgresql.Driver")
                .option("query", sql);
        if (db.user() != null) reader = reader.option("user", db.user());
        if (db.password() != null) reader = reader.option("password", db.password());
        Dataset<Row> rows = reader.load().cache();
        long count = rows.count();
        rows.write()
                .mode(SaveMode.Overwrite)
                .option("partitionOverwriteMode", "dynamic")
                .partitionBy(partitionColumn)
                .parquet(uri);
        rows.unpersist();
        return count;
    }
}
