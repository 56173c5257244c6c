package io.churn.driver;

import io.churn.data.DataSource;
import io.churn.hadoop.HadoopDataSource;
import io.churn.live.StatsWriter;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.Placement;
import io.churn.sink.RunStore;
import io.churn.spec.LiveView;
import io.churn.spec.RunSpec;
import io.churn.train.Checkpoint;
import io.churn.train.CheckpointStore;
import io.churn.train.Checkpointing;
import io.churn.train.Engine;
import io.churn.train.EpochListener;
import io.churn.train.NetworkFactory;
import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import io.churn.train.Trainer;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor side of a sweep: marks each run of a partition {@code running}, trains it and writes
 * its result at once, so finished runs survive a task killed half way. Runs a retried task finds
 * complete are skipped. A run that fails is a failed result; only an infrastructure fault (the
 * database gone for longer than the store's retries, a checkpoint that cannot be saved) fails the
 * task, and Spark retries it; a retried run goes on from its last checkpoint. With a live view,
 * every run's epochs also go to DL4J's training UI, each run as a session.
 */
public final class TrainPartition implements FlatMapFunction<List<RunSpec>, RunOutcome> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainPartition.class);
    private static final DataSource DATA = new HadoopDataSource();
    private final DatabaseSettings database;
    private final Engine engine;
    private final Checkpointing checkpoints;
    private final boolean keepCheckpoints;
    private final LiveView liveView;
    private final int failFirstAttemptAfterRuns;
    private final int failFirstAttemptInEpoch;

    /**
     * Runs save {@code checkpoints} and resume from them; a complete run's checkpoint is removed once
     * its result is stored, unless {@code keepCheckpoints}. {@code liveView}: where the live view
     * goes, or null when it is off.
     */
    public TrainPartition(DatabaseSettings database, Engine engine, Checkpointing checkpoints,
                          boolean keepCheckpoints, LiveView liveView) {
        this(database, engine, checkpoints, keepCheckpoints, liveView, -1, -1);
    }

    /**
     * For fault tests: the first attempt of every task throws after writing {@code runs} results,
     * as a lost executor would. Negative: never.
     */
    TrainPartition(DatabaseSettings database, Engine engine, int failFirstAttemptAfterRuns) {
        this(database, engine, Checkpointing.NONE, false, null, failFirstAttemptAfterRuns, -1);
    }

    /**
     * For fault tests: as above, and the first attempt of every task dies when it would save a
     * checkpoint after epoch {@code failFirstAttemptInEpoch} or later. Negative: never.
     */
    TrainPartition(DatabaseSettings database, Engine engine, Checkpointing checkpoints, boolean keepCheckpoints,
                   LiveView liveView, int failFirstAttemptAfterRuns, int failFirstAttemptInEpoch) {
        this.database = database;
        this.engine = engine;
        this.checkpoints = checkpoints;
        this.keepCheckpoints = keepCheckpoints;
        this.liveView = liveView;
        this.failFirstAttemptAfterRuns = failFirstAttemptAfterRuns;
        this.failFirstAttemptInEpoch = failFirstAttemptInEpoch;
    }

    @Override
    public Iterator<RunOutcome> call(List<RunSpec> runs) throws Exception {
        List<RunOutcome> outcomes = new ArrayList<>();
        SparkEnv env = SparkEnv.get();
        Placement placement = new Placement(env.executorId(), env.conf().getAppId());
        TaskContext task = TaskContext.get();
        TaskGpu.bind(task);
        boolean firstAttempt = task != null && task.attemptNumber() == 0;
        Checkpointing checkpoints = failFirstAttemptInEpoch > 0 && firstAttempt
                ? new Checkpointing(new LostInEpoch(this.checkpoints.store(), failFirstAttemptInEpoch),
                        this.checkpoints.everyEpochs())
                : this.checkpoints;
        // with the view off nothing of DL4J's UI is loaded
        StatsWriter stats = liveView == null ? null : new StatsWriter(liveView, RunSpec::runId, env.executorId());
        EpochListener listener = stats == null ? EpochListener.NONE : stats;
        try (RunStore store = RunStore.open(database); stats) {
            Set<String> done = store.ledger().completed(runs.stream().map(RunSpec::runId).toList());
            int written = 0;
            for (RunSpec run : runs) {
                if (done.contains(run.runId())) {
                    continue;
                }
                outcomes.add(trainAndRecord(store, placement, run, engine, checkpoints, keepCheckpoints, listener));
                written++;
                if (written == failFirstAttemptAfterRuns && firstAttempt) {
                    throw new IllegalStateException("injected fault: task lost after " + written + " runs");
                }
            }
        }
        return outcomes.iterator();
    }

    /**
     * Trains one run on the networks {@code networks} makes and records it: {@code running}, then its
     * result; a complete run's checkpoint is removed unless kept. Runs in a task and data-parallel
     * runs on the driver go through this one sequence.
     */
    static RunOutcome trainAndRecord(RunStore store, Placement placement, RunSpec run, NetworkFactory networks,
                                     Checkpointing checkpoints, boolean keepCheckpoints, EpochListener listener)
            throws SQLException {
        store.ledger().markRunning(run, placement);
        RunResult result = Trainer.run(run, DATA, networks, checkpoints, listener);
        store.results().save(result, placement);
        if (result.status() == RunStatus.COMPLETE && checkpoints.enabled() && !keepCheckpoints) {
            removeCheckpoint(checkpoints, run);
        }
        return RunOutcome.of(result);
    }

    /** A complete run's checkpoint is no longer needed; one left behind only takes space. */
    private static void removeCheckpoint(Checkpointing checkpoints, RunSpec run) {
        try {
            checkpoints.store().remove(run.runId());
        } catch (IOException e) {
            LOG.warn("run {} is complete, but its checkpoint could not be removed: {}", run.runId(), e.toString());
        }
    }

    /** A checkpoint store whose saves fail from epoch {@code epoch} on, as when the task is lost there. */
    record LostInEpoch(CheckpointStore store, int epoch) implements CheckpointStore {
        @Override
        public void save(Checkpoint checkpoint) throws IOException {
            if (checkpoint.epochs() >= epoch) {
                throw new IOException("injected fault: task lost before saving the checkpoint after epoch "
                        + checkpoint.epochs());
            }
            store.save(checkpoint);
        }

        @Override
        public Checkpoint load(String runId) throws IOException {
            return store.load(runId);
        }

        @Override
        public void remove(String runId) throws IOException {
            store.remove(runId);
        }
    }
}
