package io.churn.driver;

import io.churn.data.DataSource;
import io.churn.hadoop.HadoopDataSource;
import io.churn.network.Layout;
import io.churn.sink.Claim;
import io.churn.sink.ClaimRules;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.Placement;
import io.churn.sink.RunStore;
import io.churn.spec.RunSpec;
import io.churn.train.Checkpointing;
import io.churn.train.Engine;
import io.churn.train.EpochListener;
import io.churn.train.EpochMetrics;
import io.churn.train.NetworkFactory;
import io.churn.train.RunResult;
import io.churn.train.Trainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The executor side of a sweep: trains the runs of a partition that it can claim, in their order,
 * and gives each to the sweep's sinks as it goes (its result written at once, under its claim), so
 * finished runs survive a task killed half way. A run complete, held under another's live lease or
 * not expected to end within the {@link TimeBudget} is skipped; so a retried task, a speculative
 * copy or another application working the sweep never trains a run twice. A run that fails is a
 * failed result; only an infrastructure fault (the database gone for longer than the store's
 * retries, a checkpoint that cannot be saved) fails the task, which gives back the run it was
 * training, and Spark retries it; a retried run goes on from its last checkpoint.
 */
public final class TrainPartition implements FlatMapFunction<List<RunSpec>, RunOutcome> {

    private static final DataSource DATA = new HadoopDataSource();
    private final DatabaseSettings database;
    private final ClaimRules claims;
    private final TimeBudget budget;
    private final Engine engine;
    private final Checkpointing checkpoints;
    private final RunSink.Factory sinks;

    /**
     * Runs are claimed under {@code claims} while {@code budget} allows; they save
     * {@code checkpoints} and resume from them; {@code sinks} take what they produce.
     */
    public TrainPartition(DatabaseSettings database, ClaimRules claims, TimeBudget budget, Engine engine,
                          Checkpointing checkpoints, RunSink.Factory sinks) {
        this.database = database;
        this.claims = claims;
        this.budget = budget;
        this.engine = engine;
        this.checkpoints = checkpoints;
        this.sinks = sinks;
    }

    @Override
    public Iterator<RunOutcome> call(List<RunSpec> runs) throws Exception {
        SparkEnv env = SparkEnv.get();
        Placement placement = new Placement(env.executorId(), env.conf().getAppId());
        TaskContext task = TaskContext.get();
        TaskGpu.bind(task);
        Map<String, RunSpec> todo = new LinkedHashMap<>();
        runs.forEach(r -> todo.put(r.runId(), r));
        List<RunOutcome> outcomes = new ArrayList<>();
        double seconds = 0;
        double cost = 0;
        try (ExecutorStore shared = ExecutorStore.acquire(database, ExecutorStore.connections(env.conf()));
             Heartbeat heartbeat = new Heartbeat(shared.store(), claims); RunSink sink = sinks.open(placement)) {
            RunStore store = shared.store();
            while (!todo.isEmpty() && (task == null || !task.isInterrupted())) {
                double observed = cost > 0 ? seconds / cost : Double.NaN;
                Instant now = Instant.now();
                List<String> fitting = todo.keySet().stream().filter(id -> budget.fits(id, observed, now)).toList();
                Optional<Claim> claim = store.ledger().claimFirst(fitting, claims, placement);
                if (claim.isEmpty()) {
                    break;
                }
                RunSpec run = todo.get(claim.get().runId());
                // the runs before it could not be claimed (or did not fit): they are not tried again
                Iterator<String> ids = todo.keySet().iterator();
                while (!ids.next().equals(run.runId())) ids.remove();
                ids.remove();
                Optional<RunOutcome> outcome = trainAndRecord(store, heartbeat, sink, run, engine, checkpoints,
                        claim.get());
                outcome.ifPresent(outcomes::add);
                if (outcome.isPresent() && budget.costs().containsKey(run.runId())) {
                    seconds += outcome.get().wallSeconds();
                    cost += budget.costs().get(run.runId());
                }
            }
        }
        return outcomes.iterator();
    }

    /**
     * Trains one claimed run on the networks {@code networks} makes, its lease renewed by
     * {@code heartbeat}, and gives it to {@code sink}: before it trains, its epochs, and (once its
     * result is written under {@code claim}) its result. Empty when the claim was lost meanwhile:
     * the result is then not written. If training ends in an exception the run is given back to
     * the queue (the attempt counted unless the task was killed). Runs in a task and data-parallel
     * runs on the driver go through this one sequence.
     */
    static Optional<RunOutcome> trainAndRecord(RunStore store, Heartbeat heartbeat, RunSink sink, RunSpec run,
                                               NetworkFactory networks, Checkpointing checkpoints, Claim claim)
            throws Exception {
        heartbeat.hold(claim);
        TaskContext task = TaskContext.get();
        try {
            sink.starting(run);
            EpochListener epochs = task == null ? sink.epochs() : new StopWhenKilled(sink.epochs(), task);
            RunResult result = Trainer.run(run, DATA, networks, checkpoints, epochs);
            if (task != null && task.isInterrupted()) {
                // killed (a time limit, or a speculative copy that won): the run is given back, not failed
                throw new TaskKilledException("run " + run.runId() + " stopped: " + task.getKillReason().getOrElse(
                        () -> "killed"));
            }
            if (!store.results().save(result, claim)) {
                return Optional.empty();
            }
            sink.finished(result);
            return Optional.of(RunOutcome.of(result));
        } catch (Exception | Error e) {
            try {
                store.ledger().release(claim, task == null || !task.isInterrupted());
            } catch (Exception releasing) {
                e.addSuppressed(releasing); // its lease lapses instead
            }
            throw e;
        } finally {
            heartbeat.drop(claim);
        }
    }

    /** Ends a run at its next epoch once its task is killed, rather than training on to no purpose. */
    private record StopWhenKilled(EpochListener listener, TaskContext task) implements EpochListener {
        @Override
        public void started(RunSpec run, Layout layout, String engine) {
            listener.started(run, layout, engine);
        }

        @Override
        public void epoch(RunSpec run, int epoch, EpochMetrics metrics) {
            listener.epoch(run, epoch, metrics);
            if (task.isInterrupted()) {
                throw new TaskKilledException("killed in epoch " + epoch);
            }
        }

        @Override
        public void ended(RunSpec run) {
            listener.ended(run);
        }
    }
}
