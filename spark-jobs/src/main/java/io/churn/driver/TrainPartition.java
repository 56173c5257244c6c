package io.churn.driver;

import io.churn.data.DataSource;
import io.churn.hadoop.HadoopDataSource;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.Placement;
import io.churn.sink.RunStore;
import io.churn.spec.RunSpec;
import io.churn.train.Checkpointing;
import io.churn.train.Engine;
import io.churn.train.NetworkFactory;
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
 * The executor side of a sweep: trains each run of a partition and gives it to the sweep's sinks as
 * it goes (marked {@code running}, then its result written at once), so finished runs survive a
 * task killed half way. Runs a retried task finds complete are skipped. A run that fails is a
 * failed result; only an infrastructure fault (the database gone for longer than the store's
 * retries, a checkpoint that cannot be saved) fails the task, and Spark retries it; a retried run
 * goes on from its last checkpoint.
 */
public final class TrainPartition implements FlatMapFunction<List<RunSpec>, RunOutcome> {

    private static final DataSource DATA = new HadoopDataSource();
    private final DatabaseSettings database;
    private final Engine engine;
    private final Checkpointing checkpoints;
    private final RunSink.Factory sinks;

    /** Runs save {@code checkpoints} and resume from them; {@code sinks} take what they produce. */
    public TrainPartition(DatabaseSettings database, Engine engine, Checkpointing checkpoints, RunSink.Factory sinks) {
        this.database = database;
        this.engine = engine;
        this.checkpoints = checkpoints;
        this.sinks = sinks;
    }

    @Override
    public Iterator<RunOutcome> call(List<RunSpec> runs) throws Exception {
        SparkEnv env = SparkEnv.get();
        Placement placement = new Placement(env.executorId(), env.conf().getAppId());
        TaskGpu.bind(TaskContext.get());
        Set<String> done;
        try (RunStore store = RunStore.open(database)) {
            done = store.ledger().completed(runs.stream().map(RunSpec::runId).toList());
        }
        List<RunOutcome> outcomes = new ArrayList<>();
        try (RunSink sink = sinks.open(placement)) {
            for (RunSpec run : runs) {
                if (!done.contains(run.runId())) {
                    outcomes.add(trainAndRecord(sink, run, engine, checkpoints));
                }
            }
        }
        return outcomes.iterator();
    }

    /**
     * Trains one run on the networks {@code networks} makes and gives it to {@code sink}: before it
     * trains, its epochs, its result. Runs in a task and data-parallel runs on the driver go through
     * this one sequence.
     */
    static RunOutcome trainAndRecord(RunSink sink, RunSpec run, NetworkFactory networks, Checkpointing checkpoints)
            throws Exception {
        sink.starting(run);
        RunResult result = Trainer.run(run, DATA, networks, checkpoints, sink.epochs());
        sink.finished(result);
        return RunOutcome.of(result);
    }
}
