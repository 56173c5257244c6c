package io.churn.driver;

import io.churn.data.DataSource;
import io.churn.hadoop.HadoopDataSource;
import io.churn.live.StatsWriter;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.Placement;
import io.churn.sink.RunStore;
import io.churn.spec.LiveView;
import io.churn.spec.RunSpec;
import io.churn.train.Engine;
import io.churn.train.EpochListener;
import io.churn.train.RunResult;
import io.churn.train.Trainer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The executor side of a sweep: marks each run of a partition {@code running}, trains it and writes
 * its result at once, so finished runs survive a task killed half way. Runs a retried task finds
 * complete are skipped. A run that fails is a failed result; only an infrastructure fault (the
 * database gone for longer than the store's retries) fails the task, and Spark retries it. With a
 * live view, every run's epochs also go to DL4J's training UI, each run as a session.
 */
public final class TrainPartition implements FlatMapFunction<List<RunSpec>, RunOutcome> {

    private static final DataSource DATA = new HadoopDataSource();
    private final DatabaseSettings database;
    private final Engine engine;
    private final LiveView liveView;
    private final int failFirstAttemptAfterRuns;

    /** {@code liveView}: where the live view goes, or null when it is off. */
    public TrainPartition(DatabaseSettings database, Engine engine, LiveView liveView) {
        this(database, engine, liveView, -1);
    }

    /**
     * For fault tests: the first attempt of every task throws after writing {@code runs} results,
     * as a lost executor would. Negative: never.
     */
    TrainPartition(DatabaseSettings database, Engine engine, LiveView liveView, int failFirstAttemptAfterRuns) {
        this.database = database;
        this.engine = engine;
        this.liveView = liveView;
        this.failFirstAttemptAfterRuns = failFirstAttemptAfterRuns;
    }

    @Override
    public Iterator<RunOutcome> call(List<RunSpec> runs) throws Exception {
        List<RunOutcome> outcomes = new ArrayList<>();
        SparkEnv env = SparkEnv.get();
        Placement placement = new Placement(env.executorId(), env.conf().getAppId());
        TaskContext task = TaskContext.get();
        TaskGpu.bind(task);
        // with the view off nothing of DL4J's UI is loaded
        StatsWriter stats = liveView == null ? null : new StatsWriter(liveView, RunSpec::runId, env.executorId());
        EpochListener listener = stats == null ? EpochListener.NONE : stats;
        try (RunStore store = RunStore.open(database); stats) {
            Set<String> done = store.completed(runs.stream().map(RunSpec::runId).toList());
            int written = 0;
            for (RunSpec run : runs) {
                if (done.contains(run.runId())) {
                    continue;
                }
                store.markRunning(run, placement);
                RunResult result = Trainer.run(run, DATA, engine, listener);
                store.saveResult(result, placement);
                written++;
                String error = result.error() == null ? null : result.error().lines().findFirst().orElse("");
                outcomes.add(new RunOutcome(result.runId(), result.status().specName(), error, result.wallSeconds()));
                if (written == failFirstAttemptAfterRuns && task != null && task.attemptNumber() == 0) {
                    throw new IllegalStateException("injected fault: task lost after " + written + " runs");
                }
            }
        }
        return outcomes.iterator();
    }
}
