package io.churn.driver;

import io.churn.hadoop.HadoopCheckpointStore;
import io.churn.plan.CostPlanner;
import io.churn.sink.Applications;
import io.churn.sink.Claim;
import io.churn.sink.ClaimRules;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.ExportLock;
import io.churn.sink.ParquetExport;
import io.churn.sink.SweepExport;
import io.churn.sink.Placement;
import io.churn.sink.RunLedger;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a planned sweep as one of any number of applications working it: records its runs in the
 * ledger (nothing twice), joins the sweep's applications, trains the selected runs it can claim
 * (each run in one task, or, for runs the settings' {@code data_parallel} selects, each run across
 * all executors as a Spark job of its own), then drains: while the sweep has runs it may claim
 * (left by its own skipped tasks, or by a dead application once their leases lapse) it trains them,
 * and it waits for the runs others hold. Under a time limit it claims only runs expected to end
 * in time, gives back what it holds at the limit, and leaves the rest queued. Last it exports the
 * sweep from PostgreSQL to Parquet, one application at a time (also when Spark gave up on a task:
 * what completed is stored), and exports again the other sweeps that share runs it trained.
 */
public final class SweepDriver {

    /**
     * What a sweep command did.
     *
     * @param skippedRuns the spec's runs left out of the plan: their cells have no conformant layout
     * @param left        runs of the sweep queued or running at the end
     * @param timeLimited the time limit stopped this application before the sweep was done
     * @param gaveUp      why Spark stopped retrying a task; null when every task ended
     * @param unfinished  the sweep's runs not complete at the end, whatever the cause
     */
    public record Summary(String sweep, int runs, long skippedRuns, int alreadyComplete, int trained, int failed,
                          int diverged,
                          int resumed, long exportedRows, double medianRunSeconds, Duration wall, Duration training,
                          Duration export, List<RunOutcome> failures, int left, boolean timeLimited, String gaveUp,
                          List<String> unfinished) {
    }

    private SweepDriver() {
    }

    /** As {@link #run(SparkSession, SweepPlan, SweepSettings, String, DatabaseSettings, String, int, Set, Duration, PrintStream, Cooperation)} with the default leases and no time limit. */
    public static Summary run(SparkSession spark, SweepPlan plan, SweepSettings settings, String specJson,
                              DatabaseSettings db, String resultsUri, int partitions, Set<RunStatus> statuses,
                              Duration progressEvery, PrintStream out) throws Exception {
        return run(spark, plan, settings, specJson, db, resultsUri, partitions, statuses, progressEvery, out,
                Cooperation.DEFAULT);
    }

    /**
     * Trains the plan's runs whose ledger status is one of {@code statuses} as {@code settings} say
     * (the schema must be migrated), sharing the sweep with other applications as {@code cooperation}
     * says, then exports the sweep from PostgreSQL to Parquet.
     */
    public static Summary run(SparkSession spark, SweepPlan plan, SweepSettings settings, String specJson,
                              DatabaseSettings db, String resultsUri, int partitions, Set<RunStatus> statuses,
                              Duration progressEvery, PrintStream out, Cooperation cooperation) throws Exception {
        Instant start = Instant.now();
        String sweep = plan.spec().name();
        CheckpointSettings checkpoints = settings.checkpoints();
        Checkpointing checkpointing = checkpointing(checkpoints);
        RunSinks sinks = new RunSinks(settings.liveView(), checkpointing, checkpoints.keep());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ExecutorStore.connections(jsc.getConf()); // a bad bound is refused now, not by every task
        int runs = plan.runs().size();
        Set<String> selected;
        Set<String> complete;
        ClaimRules rules;
        try (RunStore store = RunStore.open(db)) {
            store.ledger().registerSweep(sweep, specJson, plan.runs());
            store.ledger().recordSkipped(sweep, plan.skipped().size(), plan.skippedRuns());
            Applications.Joined joined = store.applications().join(sweep, jsc.sc().applicationId(), jsc.master());
            rules = new ClaimRules(joined.holder(), statuses, joined.at(), cooperation.lease(),
                    cooperation.maxAttempts());
            store.ledger().failExhausted(sweep, rules.maxAttempts());
            selected = store.ledger().runIds(sweep, statuses);
            complete = store.ledger().runIds(sweep, Set.of(RunStatus.COMPLETE));
        }
        List<RunSpec> todo = plan.runs().stream().filter(r -> selected.contains(r.runId())).toList();
        // every run of the plan by id: the drain claims any of them, and a complete one's cost measures the pace
        Map<String, RunSpec> byId = plan.runs().stream().collect(Collectors.toMap(RunSpec::runId, r -> r));
        Map<Boolean, List<RunSpec>> byDataParallel = todo.stream()
                .collect(Collectors.partitioningBy(r -> settings.dataParallel().selects(plan.cost(r))));
        List<RunSpec> dataParallel = byDataParallel.get(true);
        List<RunSpec> ordinary = byDataParallel.get(false);
        List<List<RunSpec>> buckets = partitions > 0 ? CostPlanner.balance(ordinary, plan::cost, partitions)
                : CostPlanner.guided(ordinary, plan::cost, jsc.defaultParallelism());
        int skipped = runs - complete.size() - todo.size();
        out.printf("[%s] %d runs: %d already complete, training %d in %d partitions%s on %s%s%n",
                sweep, runs, complete.size(), ordinary.size(), buckets.size(),
                dataParallel.isEmpty() ? "" : " and " + dataParallel.size() + " data-parallel", jsc.master(),
                skipped == 0 ? "" : " (" + skipped + " runs not selected: see churn status " + sweep + ")");

        if (checkpointing.enabled()) {
            out.printf("[%s] checkpoints every %d epochs in %s%s%n", sweep, checkpoints.epochs(),
                    checkpoints.directory(), checkpoints.keep() ? ", kept after runs complete" : "");
        }
        TimeBudget budget = budget(db, plan, byId, todo, cooperation.endBy(), start);
        if (budget.limited()) {
            out.printf("[%s] time limit: claiming runs that are expected to end by %s%n", sweep, budget.stopClaiming());
        }
        List<RunOutcome> outcomes = new ArrayList<>();
        Instant trainingStart = Instant.now();
        AtomicBoolean stopped = new AtomicBoolean();
        String gaveUp = null;
        String group = "churn-sweep-" + sweep;
        try (Membership membership = new Membership(db, rules);
             ProgressReporter progress = new ProgressReporter(db, sweep, todo.size(), start, out, progressEvery)) {
            if (budget.limited()) {
                // runs outlasting their estimate are stopped when claims stop, leaving the rest to export and exit
                Duration left = Duration.between(Instant.now(), budget.stopClaiming());
                membership.timer.schedule(() -> {
                    stopped.set(true);
                    jsc.sc().cancelAllJobs();
                }, Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
            }
            try {
                if (!ordinary.isEmpty()) {
                    jsc.setJobGroup(group, "train sweep " + sweep, true);
                    outcomes.addAll(collect(jsc, buckets, new TrainPartition(db, rules, budget, settings.engine(),
                            checkpointing, sinks), stopped));
                }
                // after the ordinary runs: they are many and short, so most results land (and show
                // in progress) early, while a data-parallel run holds every executor until it ends
                for (RunSpec run : dataParallel) {
                    if (stopped.get() || !budget.fits(run.runId(), Double.NaN, Instant.now())) break;
                    jsc.setJobGroup(group + "-" + run.runId(),
                            "train run " + run.runId() + " of sweep " + sweep + " data-parallel", true);
                    trainDataParallel(jsc, db, rules, run, sinks, checkpointing).ifPresent(outcomes::add);
                }
                drain(jsc, db, plan, byId, settings, rules, budget, checkpointing, sinks, group, stopped, outcomes,
                        out);
            } catch (Exception e) {
                if (!(e instanceof SparkException)) throw e;
                // a job cancelled at the time limit is no fault; otherwise a task failed every attempt (an
                // infrastructure fault that outlasted Spark's retries): what completed is stored, so it is
                // still exported and the rest is left to any application
                if (!stopped.get()) {
                    gaveUp = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                }
            } finally {
                jsc.clearJobGroup();
                try (RunStore store = RunStore.open(db)) {
                    // what it still holds (stopped at the limit, or Spark gave up) goes back to the queue at once
                    store.ledger().releaseAll(sweep, rules.holder(), !stopped.get());
                }
            }
        }
        Instant exportStart = Instant.now();
        out.printf("[%s] exporting to Parquet at %s%n", sweep, resultsUri);
        long exported;
        try (ExportLock lock = ExportLock.acquire(db, sweep)) {
            SweepExport.Exported export = SweepExport.export(db, sweep, resultsUri, false,
                    ExecutorExportParts.of(jsc, resultsUri));
            exported = export.rows();
            out.printf("[%s] exported %d rows: %s%n", sweep, export.rows(), export.full()
                    ? "a full export" : export.written() + " written, the rest kept from earlier exports");
        }
        int left;
        int trained;
        List<String> unfinished;
        try (RunStore store = RunStore.open(db)) {
            // a run shared with other sweeps and trained here changed their results too: their Parquet follows
            Set<String> trainedHere = outcomes.stream().map(RunOutcome::runId).collect(Collectors.toSet());
            if (!trainedHere.isEmpty()) {
                for (Map.Entry<String, String> other
                        : store.queries().exportedSweepsSharing(sweep, trainedHere).entrySet()) {
                    long rows;
                    try (ExportLock lock = ExportLock.acquire(db, other.getKey())) {
                        rows = ParquetExport.export(db, other.getKey(), other.getValue());
                    }
                    out.printf("[%s] exported sweep %s again (%d rows) to %s: it shares runs trained here%n", sweep,
                            other.getKey(), rows, other.getValue());
                }
            }
            store.applications().leave(rules.holder());
            left = store.queries().status(sweep).remaining();
            unfinished = store.ledger().runIds(sweep, Set.of(RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.FAILED))
                    .stream().sorted().toList();
            // a stage cancelled at the time limit reports no outcomes; the ledger knows what it finished
            trained = store.applications().of(sweep).stream().filter(a -> a.holder().equals(rules.holder()))
                    .mapToInt(Applications.Member::done).sum();
            trained = Math.max(outcomes.size(), trained);
        }
        Instant end = Instant.now();
        boolean timeLimited = budget.limited() && left > 0;
        List<RunOutcome> failures = outcomes.stream().filter(o -> o.status() == RunStatus.FAILED).toList();
        int diverged = (int) outcomes.stream().filter(o -> o.status() == RunStatus.DIVERGED).count();
        double[] seconds = outcomes.stream().mapToDouble(RunOutcome::wallSeconds).sorted().toArray();
        double median = seconds.length == 0 ? Double.NaN : seconds[seconds.length / 2];
        int resumed = (int) outcomes.stream().filter(o -> o.resumedFromEpoch() > 0).count();
        return new Summary(sweep, runs, plan.skippedRuns(), complete.size(), trained, failures.size(), diverged,
                resumed, exported, median, Duration.between(start, end), Duration.between(trainingStart, exportStart),
                Duration.between(exportStart, end), failures, left, timeLimited, gaveUp, unfinished);
    }

    /** Trains the partitions; a stage cancelled at the time limit yields what its runs wrote, not an error. */
    private static List<RunOutcome> collect(JavaSparkContext jsc, List<List<RunSpec>> partitions,
                                            TrainPartition train, AtomicBoolean stopped) throws Exception {
        try {
            return jsc.parallelize(partitions, partitions.size()).flatMap(train).collect();
        } catch (Exception e) { // Spark's SparkException, undeclared
            if (stopped.get()) return List.of();
            throw e;
        }
    }

    /**
     * Trains what is left of the sweep that this application may claim, in stages of one task per
     * slot, each task trying every such run (costliest first) and training those it claims; waits
     * while other applications hold runs (a dead one's come back when their leases lapse).
     */
    private static void drain(JavaSparkContext jsc, DatabaseSettings db, SweepPlan plan, Map<String, RunSpec> byId,
                              SweepSettings settings, ClaimRules rules, TimeBudget budget, Checkpointing checkpointing,
                              RunSinks sinks, String group, AtomicBoolean stopped, List<RunOutcome> outcomes,
                              PrintStream out) throws Exception {
        String sweep = plan.spec().name();
        boolean waitingSaid = false;
        int idleStages = 0;
        try (RunStore store = RunStore.open(db)) {
            while (!stopped.get()) {
                int exhausted = store.ledger().failExhausted(sweep, rules.maxAttempts());
                if (exhausted > 0) {
                    out.printf("[%s] %d runs failed after %d attempts whose workers were lost%n", sweep, exhausted,
                            rules.maxAttempts());
                }
                RunLedger.Queue queue = store.ledger().queue(sweep, rules);
                TimeBudget measured = budget.limited() ? budget.withSecondsPerCost(secondsPerCost(store, plan, byId)) : budget;
                Instant now = Instant.now();
                List<RunSpec> claimable = queue.claimable().stream().map(byId::get)
                        .filter(r -> r != null && !settings.dataParallel().selects(plan.cost(r)))
                        .filter(r -> measured.fits(r.runId(), Double.NaN, now))
                        .sorted(Comparator.comparingDouble(plan::cost).reversed()).toList();
                if (!claimable.isEmpty() && idleStages < 2) {
                    int tasks = Math.min(claimable.size(), jsc.defaultParallelism());
                    jsc.setJobGroup(group, "drain sweep " + sweep, true);
                    List<RunOutcome> drained = collect(jsc, Collections.nCopies(tasks, claimable),
                            new TrainPartition(db, rules, measured, settings.engine(), checkpointing, sinks), stopped);
                    outcomes.addAll(drained);
                    idleStages = drained.isEmpty() ? idleStages + 1 : 0;
                    continue;
                }
                if (queue.heldElsewhere() == 0 || !rules.claims(RunStatus.QUEUED)
                        || (budget.limited() && !now.isBefore(budget.stopClaiming()))) {
                    return;
                }
                if (!waitingSaid) {
                    out.printf("[%s] waiting for %d runs other applications hold (a lost one's runs come back"
                            + " when its leases lapse)%n", sweep, queue.heldElsewhere());
                    waitingSaid = true;
                }
                idleStages = 0;
                long pause = Math.min(rules.heartbeat().toMillis(),
                        Math.max(100, Duration.between(now, queue.firstLeaseEnd()).toMillis() + 100));
                if (budget.limited()) {
                    pause = Math.min(pause, Math.max(0, Duration.between(now, budget.stopClaiming()).toMillis()));
                }
                Thread.sleep(Math.max(50, pause));
            }
        }
    }

    /** Trains one run across the cluster from the driver, if it can claim it, recorded in the ledger as any run. */
    private static Optional<RunOutcome> trainDataParallel(JavaSparkContext jsc, DatabaseSettings db, ClaimRules rules,
                                                          RunSpec run, RunSinks sinks, Checkpointing checkpointing)
            throws Exception {
        Placement placement = new Placement(SparkEnv.get().executorId(), jsc.sc().applicationId());
        try (RunStore store = RunStore.shared(db, 2); Heartbeat heartbeat = new Heartbeat(store, rules)) {
            Optional<Claim> claim = store.ledger().claim(run, rules, placement);
            if (claim.isEmpty()) {
                return Optional.empty();
            }
            try (RunSink sink = sinks.open(placement)) {
                return TrainPartition.trainAndRecord(store, heartbeat, sink, run,
                        DataParallelNetwork.factory(jsc, jsc.defaultParallelism()), checkpointing, claim.get());
            }
        }
    }

    /**
     * The time budget for an application that must end by {@code endBy} (null: none): it stops
     * claiming early enough to give back, export and exit (5% of the time left, 15 s to a minute).
     */
    private static TimeBudget budget(DatabaseSettings db, SweepPlan plan, Map<String, RunSpec> byId,
                                     List<RunSpec> todo, Instant endBy, Instant now) throws Exception {
        if (endBy == null) {
            return TimeBudget.NONE;
        }
        Duration total = Duration.between(now, endBy);
        long reserveMs = Math.max(15_000, Math.min(60_000, total.toMillis() / 20));
        Map<String, Double> costs = todo.stream().collect(Collectors.toMap(RunSpec::runId, plan::cost));
        try (RunStore store = RunStore.open(db)) {
            return new TimeBudget(endBy.minusMillis(reserveMs), costs, secondsPerCost(store, plan, byId));
        }
    }

    /** The sweep's measured seconds per unit of estimated cost over its complete runs; NaN before any. */
    private static double secondsPerCost(RunStore store, SweepPlan plan, Map<String, RunSpec> byId)
            throws Exception {
        double seconds = 0;
        double cost = 0;
        for (Map.Entry<String, Double> e : store.queries().completeWallSeconds(plan.spec().name()).entrySet()) {
            RunSpec run = byId.get(e.getKey());
            double c = run == null ? 0 : plan.cost(run);
            if (c > 0) {
                seconds += e.getValue();
                cost += c;
            }
        }
        return cost > 0 ? seconds / cost : Double.NaN;
    }

    /** This application's membership of the sweep: joined before, beats while it works, leaves after. */
    private static final class Membership implements AutoCloseable {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "churn-application-heartbeat");
            t.setDaemon(true);
            return t;
        });
        private final RunStore store;

        Membership(DatabaseSettings db, ClaimRules rules) {
            this.store = RunStore.open(db);
            long ms = rules.heartbeat().toMillis();
            timer.scheduleWithFixedDelay(() -> {
                try {
                    synchronized (store) {
                        store.applications().beat(rules.holder());
                    }
                } catch (Exception e) {
                    // the next beat tries again
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws Exception {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            store.close();
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
