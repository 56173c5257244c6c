package io.churn.report;

import io.churn.analysis.Ancestry;
import io.churn.analysis.Results;
import io.churn.analysis.Summaries;
import io.churn.pbt.Metric;
import io.churn.pbt.PbtSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/** The temporary views a notebook's SQL reads, over one sweep's or one PBT job's Parquet results. */
public final class ReportViews {

    /** Views over a sweep. */
    public static final List<String> SWEEP = List.of("runs", "summary");
    /** Views over a PBT job. */
    public static final List<String> PBT = List.of("pbt_epoch", "pbt_lineage", "pbt_ancestry", "pbt_score");

    private ReportViews() {
    }

    /**
     * {@code runs}: the sweep's runs, one row per run; {@code summary}: its experiment summary
     * ({@link Summaries}), computed and written to RESULTS/summary first, then read from there.
     */
    public static void sweep(SparkSession spark, String resultsUri, String sweep) {
        Results.runs(spark, resultsUri, sweep).createOrReplaceTempView("runs");
        Summaries.write(spark, resultsUri, sweep);
        Results.summary(spark, resultsUri, sweep).createOrReplaceTempView("summary");
    }

    /**
     * {@code pbt_epoch} and {@code pbt_lineage}: the job's records; {@code pbt_ancestry}
     * (final_member, generation, member): which member trained, in each generation, the weights
     * each member of the last generation ends with ({@link Ancestry}); {@code pbt_score}
     * (generation, member, score, hyperparameters, rank): each member's score by the job's own
     * metric at the generation's last epoch, ranked 1 for the best by the job's mode (failed
     * members last, ties to the lower member). Returns the notebook's variables: {@code name},
     * {@code metric} (e.g. {@code test_accuracy}) and {@code better} ({@code lower} or
     * {@code higher}). Results exported before jobs recorded their metric rank by test loss.
     */
    public static Map<String, String> pbt(SparkSession spark, String resultsUri, String pbt) {
        Dataset<Row> epochs = Results.pbtEpoch(spark, resultsUri, pbt);
        if (!List.of(epochs.columns()).contains("score")) {
            String testLoss = Metric.TEST_LOSS.specName();
            epochs = epochs.withColumn("metric", functions.lit(testLoss))
                    .withColumn("mode", functions.lit(PbtSpec.MINIMIZE)).withColumn("score", functions.col(testLoss));
        }
        Dataset<Row> lineage = Results.pbtLineage(spark, resultsUri, pbt);
        epochs.createOrReplaceTempView("pbt_epoch");
        lineage.createOrReplaceTempView("pbt_lineage");
        Row rule = epochs.select("metric", "mode").first();
        String metric = rule.getString(0);
        boolean maximize = rule.getString(1).equals(PbtSpec.MAXIMIZE);
        spark.sql("WITH ends AS (SELECT generation, member, max_by(score, epoch) AS score,"
                + " first(hyperparameters) AS hyperparameters FROM pbt_epoch GROUP BY generation, member)"
                + " SELECT *, row_number() OVER (PARTITION BY generation ORDER BY"
                + " CASE WHEN score IS NULL OR isnan(score) THEN 1 ELSE 0 END, score " + (maximize ? "DESC" : "ASC")
                + ", member) AS rank FROM ends").createOrReplaceTempView("pbt_score");
        int generations = epochs.selectExpr("max(generation) + 1").first().getInt(0);
        List<Integer> finalMembers = epochs.where("generation = " + (generations - 1)).select("member").distinct()
                .collectAsList().stream().map(r -> r.getInt(0)).toList();
        List<Ancestry.Copy> copies = lineage.select("generation", "member", "donor").collectAsList().stream()
                .map(r -> new Ancestry.Copy(r.getInt(0), r.getInt(1), r.getInt(2))).toList();
        List<Row> links = new ArrayList<>();
        for (Ancestry.Link l : Ancestry.of(generations, finalMembers, copies)) {
            links.add(RowFactory.create(l.finalMember(), l.generation(), l.member()));
        }
        spark.createDataFrame(links, StructType.fromDDL("final_member INT, generation INT, member INT"))
                .createOrReplaceTempView("pbt_ancestry");
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("name", pbt);
        variables.put("metric", metric);
        variables.put("better", maximize ? "higher" : "lower");
        return variables;
    }
}
