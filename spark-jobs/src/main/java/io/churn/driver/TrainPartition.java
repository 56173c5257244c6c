package io.churn.driver;

import io.churn.data.DataSource;
import io.churn.hadoop.HadoopDataSource;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.RunStore;
import io.churn.spec.RunSpec;
import io.churn.train.RunResult;
import io.churn.train.Trainer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The executor side of a sweep: trains each run of a partition and upserts its result at once,
 * so finished runs survive a task killed half way. Runs a retried task finds complete are skipped.
 * A run that fails is a failed result; only a database fault fails the task (Spark then retries).
 */
public final class TrainPartition implements FlatMapFunction<List<RunSpec>, RunOutcome> {

    private static final DataSource DATA = new HadoopDataSource();
    private final DatabaseSettings database;

    public TrainPartition(DatabaseSettings database) {
        this.database = database;
    }

    @Override
    public Iterator<RunOutcome> call(List<RunSpec> runs) throws Exception {
        List<RunOutcome> outcomes = new ArrayList<>();
        SparkEnv env = SparkEnv.get();
        try (RunStore store = RunStore.open(database)) {
            Set<String> done = store.completed(runs.stream().map(RunSpec::runId).toList());
            for (RunSpec run : runs) {
                if (done.contains(run.runId())) {
                    continue;
                }
                RunResult result = Trainer.run(run, DATA);
                store.upsert(result, env.executorId(), env.conf().getAppId());
                String error = result.error() == null ? null : result.error().lines().findFirst().orElse("");
                outcomes.add(new RunOutcome(result.runId(), result.status().specName(), error, result.wallSeconds()));
            }
        }
        return outcomes.iterator();
    }
}
