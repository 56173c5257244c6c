package io.churn.bench;

import io.churn.driver.DataParallelNetwork;
import io.churn.driver.SweepPlan;
import io.churn.hadoop.HadoopDataSource;
import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import io.churn.train.Engine;
import io.churn.train.RunResult;
import io.churn.train.Trainer;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * When training one run across the cluster pays: the same DL4J run as one Spark task and
 * data-parallel over every task slot (parameter averaging), after a one-epoch run as one task
 * warms the JVM and ND4J up.
 */
public final class DataParallelBench {

    /** The run to train: a rectangle of {@code depth} layers and about {@code size} parameters. */
    public record Settings(String dataset, int depth, long size, int batchSize, double learningRate, int epochs) {
    }

    /** One way of training the run: its wall time and final test loss, or the error it failed with (else null). */
    public record Training(double wallSeconds, double finalTestLoss, String error) {
    }

    /** Both ways on {@code master}'s {@code slots} task slots; {@code cost} is the plan's estimate for the run. */
    public record Result(Settings settings, long parameters, double cost, String master, int slots, Training oneTask,
                         Training dataParallel) {
        public double oneTaskOverDataParallel() {
            return oneTask.wallSeconds() / dataParallel.wallSeconds();
        }
    }

    private final Settings settings;
    private final SweepPlan plan;
    private final RunSpec warmUp;

    private DataParallelBench(Settings settings, SweepPlan plan, RunSpec warmUp) {
        this.settings = settings;
        this.plan = plan;
        this.warmUp = warmUp;
    }

    /** Plans the run (loading its dataset and sizing its network) before Spark starts. */
    public static DataParallelBench of(Settings s) {
        BenchSpecs.GridValues grid = new BenchSpecs.GridValues(s.dataset(), List.of("rectangle"), List.of(s.depth()),
                List.of(s.size()), s.learningRate(), s.batchSize(), s.epochs());
        SweepPlan plan = SweepPlan.of(BenchSpecs.sweep("bench-data-parallel", 1, grid).spec(), "bench");
        RunSpec warmUp = GridExpander.expand(BenchSpecs.sweep("bench-data-parallel", 1, grid.withEpochs(1)).spec())
                .get(0);
        return new DataParallelBench(s, plan, warmUp);
    }

    public Result run(SparkSession spark) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slots = jsc.defaultParallelism();
        RunSpec run = plan.runs().get(0);
        oneTask(jsc, warmUp);
        Stopwatch single = new Stopwatch();
        RunResult oneTask = oneTask(jsc, run);
        double singleSeconds = single.seconds();
        Stopwatch parallel = new Stopwatch();
        RunResult dataParallel = Trainer.run(run, new HadoopDataSource(), DataParallelNetwork.factory(jsc, slots));
        double parallelSeconds = parallel.seconds();
        return new Result(settings, oneTask.numFreeParameters(), plan.cost(run), jsc.master(), slots,
                training(oneTask, singleSeconds), training(dataParallel, parallelSeconds));
    }

    private static RunResult oneTask(JavaSparkContext jsc, RunSpec run) {
        return jsc.parallelize(List.of(run), 1)
                .map(r -> Trainer.run(r, new HadoopDataSource(), Engine.DL4J))
                .collect().get(0);
    }

    private static Training training(RunResult r, double wallSeconds) {
        if (r.error() != null) {
            return new Training(wallSeconds, Double.NaN, r.error().lines().findFirst().orElse(""));
        }
        return new Training(wallSeconds, r.history().get(r.history().size() - 1).testLoss(), null);
    }
}
