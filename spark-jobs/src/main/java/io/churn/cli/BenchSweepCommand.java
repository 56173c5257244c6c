package io.churn.cli;

import io.churn.bench.SweepBench;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code churn bench sweep}: Spark's share of a sweep of small runs. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a sweep of small runs (banana, rectangle and trapezoid, fused engine) on the master given by"
                + " spark.master (local[*] by default) with a fresh embedded PostgreSQL, and compare its wall time"
                + " with the sum of the runs' own times divided by the task slots.")
final class BenchSweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Option(names = "--runs", defaultValue = "200", description = "Runs (repetitions of 8 configurations) (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--epochs", defaultValue = "300",
            description = "Epochs per run (default: ${DEFAULT-VALUE}, short for BUTTER's runs, about a second here).")
    int epochs;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Spark partitions of equal estimated cost (default: as churn sweep, shrinking"
                    + " partitions).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        SweepBench bench = SweepBench.of(runs, epochs, partitions);
        SparkSession spark = Sparks.start(Sparks.master(), "churn bench sweep");
        SweepBench.Result r;
        try {
            r = bench.run(spark);
        } finally {
            spark.stop();
        }
        out.printf("%d runs on %s (%d task slots), %d epochs each: wall %.1f s = record %.1f s + train %.1f s"
                        + " + export %.1f s%n", r.trained(), r.master(), r.slots(), r.epochs(), r.wallSeconds(),
                r.recordSeconds(), r.trainingJobSeconds(), r.exportSeconds());
        out.printf("runs' own time %.1f s, / %d slots = %.1f s; Spark and bookkeeping add %.1f%% to it in the"
                        + " training job, %.1f%% in all%n", r.runsSeconds(), r.slots(), r.idealSeconds(),
                100 * r.trainingJobOverhead(), 100 * r.overallOverhead());
        out.flush();
        return 0;
    }
}
