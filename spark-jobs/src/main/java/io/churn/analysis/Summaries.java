package io.churn.analysis;

import io.churn.sink.ResultColumns;
import io.churn.sink.ResultDataset;
import io.churn.train.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * BUTTER's experiment summary, computed with Spark SQL from a sweep's Parquet results: for every
 * experiment (a run's settings without its repetition and seed) and every epoch, how many runs it
 * has and how their train and test loss and accuracy are distributed — count of finite values, min,
 * quartiles, max, mean and sample standard deviation — and, over the same runs, at which epoch and
 * at what value each run's test loss was lowest. Written as Parquet at
 * {@code RESULTS/summary/sweep=NAME/}, one row per experiment and epoch.
 *
 * <p>Quartiles are Spark's exact {@code percentile}: linear interpolation between the closest
 * ranks (PostgreSQL's {@code percentile_cont}, BUTTER's definition, numpy's default). Every
 * statistic is over the finite values only: a diverged (NaN or infinite) value, or an epoch an
 * early-stopped run never reached, is not counted. Complete and diverged runs are summarized: a
 * diverged run counts in {@code num_runs}, and its non-finite epoch and the epochs after it only
 * lower {@code num_finite}, as in BUTTER (leaving such runs out would favour the survivors).
 */
public final class Summaries {

    /**
     * The settings that make an experiment: every spec column but {@code repetition} and
     * {@code seed}, and the dataset's content digest, so two files of one name are two experiments.
     */
    public static final List<String> EXPERIMENT_COLUMNS = List.of("dataset", "dataset_sha256", "shape", "depth", "size",
            "learning_rate", "batch_size", "label_noise", "kernel_regularizer", "bias_regularizer", "optimizer",
            "momentum", "activation", "dropout", "epochs", "early_stopping_patience", "test_split");
    /** What the settings make of the network, the same for every run of an experiment. */
    public static final List<String> NETWORK_COLUMNS = List.of("task", "n_in", "n_out", "widths",
            "num_free_parameters");
    /** The per-epoch histories summarized: every measured metric, BUTTER's names. */
    public static final List<String> METRICS = ResultColumns.MEASURED;
    /** Each metric's statistics, as column suffixes: {@code test_loss_median}. */
    public static final List<String> STATISTICS = List.of("num_finite", "min", "q1", "median", "q3", "max", "avg",
            "stddev");
    /** Statistics over the runs of {@code test_loss_min_epoch} and {@code test_loss_min_value} (BUTTER's set). */
    public static final List<String> MINIMUM_STATISTICS = List.of("min", "q1", "median", "q3", "max", "avg");

    private static final String VIEW = "churn_summary_runs";

    private Summaries() {
    }

    /** The Spark SQL that summarizes the runs in table or view {@code runs}. */
    public static String sql(String runs) {
        String key = String.join(", ", keyColumns());
        List<String> epochColumns = new ArrayList<>();
        for (String m : METRICS) {
            epochColumns.add(finite("try_element_at(" + m + ", pos + 1)") + " AS " + m);
        }
        List<String> epochStatistics = new ArrayList<>();
        for (String m : METRICS) {
            epochStatistics.addAll(statistics(m, STATISTICS));
        }
        List<String> runStatistics = new ArrayList<>();
        runStatistics.addAll(statistics("test_loss_min_epoch", MINIMUM_STATISTICS));
        runStatistics.addAll(statistics("test_loss_min_value", MINIMUM_STATISTICS));
        List<String> columns = new ArrayList<>(keyColumns().stream().map(c -> "e." + c).toList());
        columns.add("e.epoch");
        columns.add("x.num_runs");
        columns.addAll(METRICS.stream().flatMap(m -> STATISTICS.stream().map(s -> "e." + m + "_" + s)).toList());
        columns.addAll(Stream.of("test_loss_min_epoch", "test_loss_min_value")
                .flatMap(m -> MINIMUM_STATISTICS.stream().map(s -> "x." + m + "_" + s)).toList());
        // experiments join on their key with null-safe equality: a setting may be null
        String join = keyColumns().stream().map(c -> "e." + c + " <=> x." + c).collect(Collectors.joining(" AND "));
        return """
                WITH complete AS (
                  SELECT *, array_min(filter(test_loss, v -> %s)) AS test_loss_min_value
                  FROM %s WHERE status IN ('%s', '%s')
                ),
                experiments AS (
                  SELECT %s, count(*) AS num_runs,
                    %s
                  FROM (SELECT *, int(array_position(test_loss, test_loss_min_value)) AS test_loss_min_epoch FROM complete)
                  GROUP BY %s
                ),
                epochs AS (
                  SELECT %s, epoch,
                    %s
                  FROM (
                    SELECT %s, pos + 1 AS epoch,
                      %s
                    FROM complete LATERAL VIEW posexplode(train_loss) history AS pos, value
                  )
                  GROUP BY %s, epoch
                )
                SELECT %s
                FROM epochs e JOIN experiments x ON %s
                """.formatted(isFinite("v"), runs, RunStatus.COMPLETE.specName(), RunStatus.DIVERGED.specName(), key, String.join(",\n    ", runStatistics), key, key,
                String.join(",\n    ", epochStatistics), key, String.join(",\n      ", epochColumns), key,
                String.join(", ", columns), join);
    }

    /** The summary of {@code runs} (rows with the columns of a sweep's Parquet results). */
    public static Dataset<Row> summarize(Dataset<Row> runs) {
        runs.createOrReplaceTempView(VIEW);
        return runs.sparkSession().sql(sql(VIEW));
    }

    /** Summarizes the sweep and replaces its partition of {@code RESULTS/summary}; returns the row count. */
    public static long write(SparkSession spark, String resultsUri, String sweep) {
        // not cached: a cached plan keeps all spark.sql.shuffle.partitions, which adaptive execution
        // would otherwise coalesce to a few (200 tiny tasks take half a minute on a laptop)
        summarize(Results.runs(spark, resultsUri, sweep)).write()
                .mode(SaveMode.Overwrite)
                .option("partitionOverwriteMode", "dynamic")
                .partitionBy(ResultDataset.SUMMARY.partitionColumn())
                .parquet(ResultDataset.SUMMARY.uri(resultsUri));
        return Results.summary(spark, resultsUri, sweep).count();
    }

    static List<String> keyColumns() {
        List<String> key = new ArrayList<>(List.of("sweep"));
        key.addAll(EXPERIMENT_COLUMNS);
        key.addAll(NETWORK_COLUMNS);
        return key;
    }

    /** NaN is greater than infinity in Spark's ordering, so this holds for finite values only (and never for null). */
    private static String isFinite(String value) {
        return "abs(" + value + ") < double('Infinity')";
    }

    private static String finite(String value) {
        return "CASE WHEN " + isFinite(value) + " THEN " + value + " END";
    }

    private static List<String> statistics(String value, List<String> names) {
        List<String> out = new ArrayList<>();
        for (String s : names) {
            String e = switch (s) {
                case "num_finite" -> "count(" + value + ")";
                case "min" -> "min(" + value + ")";
                case "q1" -> "percentile(" + value + ", 0.25)";
                case "median" -> "percentile(" + value + ", 0.5)";
                case "q3" -> "percentile(" + value + ", 0.75)";
                case "max" -> "max(" + value + ")";
                case "avg" -> "avg(" + value + ")";
                case "stddev" -> "stddev_samp(" + value + ")";
                default -> throw new IllegalStateException(s);
            };
            out.add(e + " AS " + value + "_" + s);
        }
        return out;
    }
}
