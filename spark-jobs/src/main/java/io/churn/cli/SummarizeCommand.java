package io.churn.cli;

import io.churn.analysis.Summaries;
import io.churn.sink.ResultDataset;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn summarize SWEEP}: BUTTER's per-experiment, per-epoch summary, written next to the runs. */
@Command(name = "summarize", mixinStandardHelpOptions = true,
        description = "Summarize a sweep with Spark SQL: per experiment (a run's settings without repetition and"
                + " seed) and epoch, the runs' train/test loss and accuracy quartiles, mean and spread, and where"
                + " each run's test loss was lowest; written as Parquet to RESULTS/summary/sweep=NAME/.")
final class SummarizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Parameters(paramLabel = "SWEEP", description = "The sweep's name.")
    String sweep;

    @Mixin
    ResultsOptions results;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        SparkSession spark = Sparks.start(Sparks.master(), "churn summarize " + sweep);
        try {
            long rows = Summaries.write(spark, results.uri(), sweep);
            out.printf("[%s] summary: %d rows (one per experiment and epoch) at %s%n", sweep, rows,
                    ResultDataset.SUMMARY.partitionUri(results.uri(), sweep));
            out.flush();
            return 0;
        } finally {
            spark.stop();
        }
    }
}
