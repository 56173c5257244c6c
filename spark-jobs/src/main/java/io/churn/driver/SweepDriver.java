package io.churn.driver;

import io.churn.hadoop.HadoopCheckpointStore;
import io.churn.plan.CostPlanner;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.ParquetExport;
import io.churn.sink.Placement;
import io.churn.sink.RunStore;
import io.churn.settings.CheckpointSettings;
import io.churn.settings.SweepSettings;
import io.churn.spec.RunSpec;
import io.churn.train.Checkpointing;
import io.churn.train.RunStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a planned sweep: records its runs in the ledger, trains the selected ones on the executors
 * (each run in one task, or, for runs the settings' {@code data_parallel} selects, each run across all
 * executors as a Spark job of its own), then exports the sweep from PostgreSQL to Parquet.
 */
public final class SweepDriver {

    /**
     * What a sweep command did. {@code gaveUp} is why Spark stopped retrying a task (null when every
     * task ended); {@code unfinished} are the sweep's runs not complete at the end, whatever the cause.
     */
    public record Summary(String sweep, int runs, int alreadyComplete, int trained, int failed, int resumed,
                          long exportedRows, double medianRunSeconds, Duration wall, Duration training,
                          Duration export, List<RunOutcome> failures, String gaveUp, List<String> unfinished) {
    }

    private SweepDriver() {
    }

    /**
     * Trains the plan's runs whose ledger status is one of {@code statuses} as {@code settings} say
     * (the schema must be migrated), then exports the sweep from PostgreSQL to Parquet.
     */
    public static Summary run(SparkSession spark, SweepPlan plan, SweepSettings settings, String specJson,
                              DatabaseSettings db,
                              String resultsUri, int partitions, Set<RunStatus> statuses, Duration progressEvery,
                              PrintStream out) throws Exception {
        Instant start = Instant.now();
        String sweep = plan.spec().name();
        CheckpointSettings checkpoints = settings.checkpoints();
        Checkpointing checkpointing = checkpointing(checkpoints);
        RunSinks sinks = new RunSinks(db, settings.liveView(), checkpointing, checkpoints.keep());
        List<String> ids = plan.runs().stream().map(RunSpec::runId).toList();
        Set<String> selected;
        Set<String> complete;
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep(sweep, specJson, plan.runs());
            selected = store.ledger().runIds(sweep, statuses);
            complete = store.ledger().runIds(sweep, Set.of(RunStatus.COMPLETE));
        }
        List<RunSpec> todo = plan.runs().stream().filter(r -> selected.contains(r.runId())).toList();
        Map<Boolean, List<RunSpec>> byDataParallel = todo.stream()
                .collect(Collectors.partitioningBy(r -> settings.dataParallel().selects(plan.cost(r))));
        List<RunSpec> dataParallel = byDataParallel.get(true);
        List<RunSpec> ordinary = byDataParallel.get(false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<List<RunSpec>> buckets = partitions > 0 ? CostPlanner.balance(ordinary, plan::cost, partitions)
                : CostPlanner.guided(ordinary, plan::cost, jsc.defaultParallelism());
        int skipped = ids.size() - complete.size() - todo.size();
        out.printf("[%s] %d runs: %d already complete, training %d in %d partitions%s on %s%s%n",
                sweep, ids.size(), complete.size(), ordinary.size(), buckets.size(),
                dataParallel.isEmpty() ? "" : " and " + dataParallel.size() + " data-parallel", jsc.master(),
                skipped == 0 ? "" : " (" + skipped + " runs not selected: see churn status " + sweep + ")");

        if (checkpointing.enabled()) {
            out.printf("[%s] checkpoints every %d epochs in %s%s%n", sweep, checkpoints.epochs(),
                    checkpoints.directory(), checkpoints.keep() ? ", kept after runs complete" : "");
        }
        List<RunOutcome> outcomes = new ArrayList<>();
        Instant trainingStart = Instant.now();
        String gaveUp = null;
        if (!todo.isEmpty()) {
            try (ProgressReporter progress = new ProgressReporter(db, sweep, todo.size(), start, out, progressEvery)) {
                if (!ordinary.isEmpty()) {
                    jsc.setJobGroup("churn-sweep-" + sweep, "train sweep " + sweep, false);
                    outcomes.addAll(jsc.parallelize(buckets, buckets.size())
                            .flatMap(new TrainPartition(db, settings.engine(), checkpointing, sinks)).collect());
                }
                // after the ordinary runs: they are many and short, so most results land (and show
                // in progress) early, while a data-parallel run holds every executor until it ends
                for (RunSpec run : dataParallel) {
                    jsc.setJobGroup("churn-sweep-" + sweep + "-" + run.runId(),
                            "train run " + run.runId() + " of sweep " + sweep + " data-parallel", false);
                    outcomes.add(trainDataParallel(jsc, run, sinks, checkpointing));
                }
                jsc.clearJobGroup();
            } catch (Exception e) {
                if (!(e instanceof SparkException)) throw e;
                // a task failed every attempt (an infrastructure fault that outlasted Spark's retries):
                // what completed is stored, so it is still exported and the rest is left to resubmit
                jsc.clearJobGroup();
                gaveUp = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            }
        }
        Instant exportStart = Instant.now();
        out.printf("[%s] exporting to Parquet at %s%n", sweep, resultsUri);
        long exported = ParquetExport.export(db, sweep, resultsUri);
        List<String> unfinished;
        try (RunStore store = RunStore.open(db)) {
            // a run shared with other sweeps and trained here changed their results too: their Parquet follows
            Set<String> trained = outcomes.stream().map(RunOutcome::runId).collect(Collectors.toSet());
            if (!trained.isEmpty()) {
                for (Map.Entry<String, String> other : store.queries().exportedSweepsSharing(sweep, trained).entrySet()) {
                    long rows = ParquetExport.export(db, other.getKey(), other.getValue());
                    out.printf("[%s] exported sweep %s again (%d rows) to %s: it shares runs trained here%n", sweep,
                            other.getKey(), rows, other.getValue());
                }
            }
            unfinished = store.ledger().runIds(sweep, Set.of(RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.FAILED))
                    .stream().sorted().toList();
        }
        Instant end = Instant.now();
        List<RunOutcome> failures = outcomes.stream().filter(o -> o.status() != RunStatus.COMPLETE).toList();
        double[] seconds = outcomes.stream().mapToDouble(RunOutcome::wallSeconds).sorted().toArray();
        double median = seconds.length == 0 ? Double.NaN : seconds[seconds.length / 2];
        int resumed = (int) outcomes.stream().filter(o -> o.resumedFromEpoch() > 0).count();
        return new Summary(sweep, ids.size(), complete.size(), outcomes.size(), failures.size(), resumed, exported,
                median, Duration.between(start, end), Duration.between(trainingStart, exportStart),
                Duration.between(exportStart, end), failures, gaveUp, unfinished);
    }

    /** Trains one run across the cluster from the driver, recorded in the ledger as any run. */
    private static RunOutcome trainDataParallel(JavaSparkContext jsc, RunSpec run, RunSinks sinks,
                                                Checkpointing checkpointing) throws Exception {
        Placement placement = new Placement(SparkEnv.get().executorId(), jsc.sc().applicationId());
        try (RunSink sink = sinks.open(placement)) {
            return TrainPartition.trainAndRecord(sink, run, DataParallelNetwork.factory(jsc, jsc.defaultParallelism()),
                    checkpointing);
        }
    }

    private static Checkpointing checkpointing(CheckpointSettings settings) {
        if (!settings.enabled()) {
            return Checkpointing.NONE;
        }
        if (settings.directory() == null) {
            throw new IllegalArgumentException("checkpoint_epochs needs a checkpoint folder: checkpoint_dir");
        }
        return new Checkpointing(new HadoopCheckpointStore(settings.directory()), settings.epochs());
    }
}
