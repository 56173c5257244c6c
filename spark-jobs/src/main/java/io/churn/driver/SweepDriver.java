package io.churn.driver;

import io.churn.plan.CostPlanner;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.ParquetExport;
import io.churn.sink.RunStore;
import io.churn.spec.RunSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a planned sweep: records its runs in the ledger, trains the selected ones on the executors,
 * then exports the sweep from PostgreSQL to Parquet.
 */
public final class SweepDriver {

    /** What a sweep command did. */
    public record Summary(String sweep, int runs, int alreadyComplete, int trained, int failed,
                          long exportedRows, double medianRunSeconds, Duration wall, List<RunOutcome> failures) {
    }

    private SweepDriver() {
    }

    /**
     * Trains the plan's runs whose ledger status is one of {@code statuses} (the schema must be
     * migrated), then exports the sweep from PostgreSQL to Parquet.
     */
    public static Summary run(SparkSession spark, SweepPlan plan, String specJson, DatabaseSettings db,
                              String resultsUri, int partitions, Set<String> statuses, Duration progressEvery,
                              PrintStream out) throws Exception {
        Instant start = Instant.now();
        String sweep = plan.spec().name();
        List<String> ids = plan.runs().stream().map(RunSpec::runId).toList();
        Set<String> selected;
        Set<String> complete;
        try (RunStore store = RunStore.open(db)) {
            store.registerSweep(sweep, specJson, plan.runs());
            selected = store.runIds(sweep, statuses);
            complete = store.runIds(sweep, Set.of("complete"));
        }
        List<RunSpec> todo = plan.runs().stream().filter(r -> selected.contains(r.runId())).toList();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slots = partitions > 0 ? partitions : 2 * jsc.defaultParallelism();
        List<List<RunSpec>> buckets = CostPlanner.balance(todo, plan::cost, slots);
        int skipped = ids.size() - complete.size() - todo.size();
        out.printf("[%s] %d runs: %d already complete, training %d in %d partitions on %s%s%n",
                sweep, ids.size(), complete.size(), todo.size(), buckets.size(), jsc.master(),
                skipped == 0 ? "" : " (" + skipped + " runs not selected: see churn status " + sweep + ")");

        List<RunOutcome> outcomes = List.of();
        if (!todo.isEmpty()) {
            jsc.setJobGroup("churn-sweep-" + sweep, "train sweep " + sweep, false);
            try (ProgressReporter progress = new ProgressReporter(db, sweep, todo.size(), start, out, progressEvery)) {
                outcomes = jsc.parallelize(buckets, buckets.size())
                        .flatMap(new TrainPartition(db, plan.spec().engine(), plan.spec().liveView())).collect();
            }
        }
        out.printf("[%s] exporting to Parquet at %s%n", sweep, resultsUri);
        long exported = ParquetExport.export(spark, db, sweep, resultsUri);
        List<RunOutcome> failures = outcomes.stream().filter(o -> !"complete".equals(o.status())).toList();
        double[] seconds = outcomes.stream().mapToDouble(RunOutcome::wallSeconds).sorted().toArray();
        double median = seconds.length == 0 ? Double.NaN : seconds[seconds.length / 2];
        return new Summary(sweep, ids.size(), complete.size(), outcomes.size(), failures.size(), exported, median,
                Duration.between(start, Instant.now()), failures);
    }
}
