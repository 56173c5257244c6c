package io.churn.bench;

import io.churn.driver.SweepDriver;
import io.churn.driver.SweepPlan;
import io.churn.settings.SweepSettings;
import io.churn.sink.RunStore;
import io.churn.train.RunStatus;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's share of a sweep: the wall time of a sweep of small runs (banana, rectangle and
 * trapezoid, depths 3 and 4, 256 and 1,024 parameters) against the runs' own training time
 * spread over the task slots.
 */
public final class SweepBench {

    /**
     * One sweep on {@code master}: its wall time split into recording, the training job and the
     * export, and {@code runsSeconds}, the sum of the times the runs report.
     */
    public record Result(int trained, String master, int slots, int epochs, double wallSeconds,
                         double trainingJobSeconds, double exportSeconds, double runsSeconds) {

        public double recordSeconds() {
            return wallSeconds - trainingJobSeconds - exportSeconds;
        }

        /** The runs' own time if the slots were busy with nothing else. */
        public double idealSeconds() {
            return runsSeconds / slots;
        }

        /** What Spark and bookkeeping add to the ideal time inside the training job, as a fraction. */
        public double trainingJobOverhead() {
            return (trainingJobSeconds - idealSeconds()) / idealSeconds();
        }

        /** What everything adds to the ideal time, as a fraction. */
        public double overallOverhead() {
            return (wallSeconds - idealSeconds()) / idealSeconds();
        }
    }

    private static final int CONFIGURATIONS = 8;

    private final BenchSpecs.Sweep sweep;
    private final SweepPlan plan;
    private final int epochs;
    private final int partitions;

    private SweepBench(BenchSpecs.Sweep sweep, int epochs, int partitions) {
        this.sweep = sweep;
        this.plan = SweepPlan.of(sweep.spec(), "bench");
        this.epochs = epochs;
        this.partitions = partitions;
    }

    /**
     * About {@code runs} runs (repetitions of the grid's 8 configurations) of {@code epochs} epochs,
     * in {@code partitions} partitions of equal estimated cost (0: as {@code churn sweep} does).
     */
    public static SweepBench of(int runs, int epochs, int partitions) {
        BenchSpecs.Sweep sweep = BenchSpecs.sweep("bench-sweep", Math.max(1, runs / CONFIGURATIONS),
                new BenchSpecs.GridValues("banana", List.of("rectangle", "trapezoid"), List.of(3, 4),
                        List.of(256L, 1024L), 0.001, 32, epochs));
        return new SweepBench(sweep, epochs, partitions);
    }

    /** Trains the sweep on {@code spark} with a fresh embedded PostgreSQL. */
    public Result run(SparkSession spark) throws Exception {
        try (Scratch scratch = new Scratch("churn-bench-sweep")) {
            Stopwatch wall = new Stopwatch();
            SweepDriver.Summary s = SweepDriver.run(spark, plan, SweepSettings.DEFAULT, sweep.json(), scratch.settings(),
                    scratch.uri("results"), partitions, Set.of(RunStatus.QUEUED, RunStatus.FAILED, RunStatus.RUNNING), Duration.ofHours(1),
                    new PrintStream(OutputStream.nullOutputStream()));
            double wallSeconds = wall.seconds();
            double runsSeconds;
            try (RunStore store = RunStore.open(scratch.settings())) {
                runsSeconds = store.queries().trainingSeconds(sweep.spec().name());
            }
            return new Result(s.trained(), spark.sparkContext().master(), spark.sparkContext().defaultParallelism(),
                    epochs, wallSeconds, s.training().toNanos() / 1e9, s.export().toNanos() / 1e9, runsSeconds);
        }
    }
}
