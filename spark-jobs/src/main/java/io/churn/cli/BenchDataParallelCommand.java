package io.churn.cli;

import io.churn.bench.DataParallelBench;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn bench data-parallel}: one large run as one task and data-parallel. */
@Command(name = "data-parallel", mixinStandardHelpOptions = true,
        description = "Train the same large run (DL4J, rectangle) on the master given by spark.master (local[*] by"
                + " default) twice: as one Spark task, and data-parallel over every task slot (parameter"
                + " averaging); print both wall times, their ratio and the final test losses. A one-epoch run"
                + " as one task warms the JVM and ND4J up first.")
final class BenchDataParallelCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Option(names = "--dataset", defaultValue = "201_pol", description = "(default: ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--depth", defaultValue = "3") int depth;
    @Option(names = "--size", defaultValue = "1048576", description = "Parameters (default: ${DEFAULT-VALUE}).")
    long size;
    @Option(names = "--batch-size", defaultValue = "256") int batchSize;
    @Option(names = "--learning-rate", defaultValue = "0.001") double learningRate;
    @Option(names = "--epochs", defaultValue = "3") int epochs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        DataParallelBench bench = DataParallelBench.of(
                new DataParallelBench.Settings(dataset, depth, size, batchSize, learningRate, epochs));
        SparkSession spark = Sparks.start(Sparks.master(), "churn bench data-parallel");
        DataParallelBench.Result r;
        try {
            r = bench.run(spark);
        } finally {
            spark.stop();
        }
        DataParallelBench.Settings s = r.settings();
        out.printf("%s, rectangle depth %d, %d parameters, batch %d, %d epochs (estimated cost %.3g) on %s"
                + " (%d task slots)%n", s.dataset(), s.depth(), r.parameters(), s.batchSize(), s.epochs(),
                r.cost(), r.master(), r.slots());
        out.printf("%-22s %8s %16s%n", "training", "wall s", "final test_loss");
        out.printf("%-22s %8.1f %16s%n", "one task", r.oneTask().wallSeconds(), finalTestLoss(r.oneTask()));
        out.printf("%-22s %8.1f %16s%n", "data-parallel (" + r.slots() + ")", r.dataParallel().wallSeconds(),
                finalTestLoss(r.dataParallel()));
        out.printf("one task / data-parallel: %.2fx%n", r.oneTaskOverDataParallel());
        out.flush();
        return 0;
    }

    private static String finalTestLoss(DataParallelBench.Training t) {
        return t.error() != null ? "failed: " + t.error() : String.format("%.4f", t.finalTestLoss());
    }
}
