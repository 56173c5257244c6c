package io.churn.cli;

import io.churn.bench.PbtBench;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn bench pbt}: PBT against random search of the same epochs. */
@Command(name = "pbt", mixinStandardHelpOptions = true,
        description = "Run a PBT spec, then a random search with the same members' initial hyperparameters and the"
                + " same total epochs (each member trains all epochs with fixed hyperparameters), and compare"
                + " their best and median scores. Uses a fresh embedded PostgreSQL in a temporary folder.")
final class BenchPbtCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Parameters(paramLabel = "SPEC", description = "A PBT spec, e.g. conf/pbt/wine.json.")
    Path specFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        PbtBench bench = PbtBench.of(specFile);
        SparkSession spark = Sparks.start(Sparks.master(), "churn bench pbt");
        PbtBench.Result r;
        try {
            r = bench.run(spark);
        } finally {
            spark.stop();
        }
        out.printf("%s on %s: population %d, %d epochs in all, %s (%s is better)%n", r.spec().name(),
                r.spec().dataset(), r.spec().population(), r.epochs(), r.spec().metric(),
                r.spec().maximize() ? "higher" : "lower");
        out.printf("%-14s %10s %10s %10s %8s%n", "method", "best", "median", "worst", "wall s");
        for (PbtBench.Method m : List.of(r.pbt(), r.randomSearch())) {
            out.printf("%-14s %10.4f %10.4f %10.4f %8.1f%n", m.name(), m.best(), m.median(), m.worst(),
                    m.wallSeconds());
        }
        out.flush();
        return 0;
    }
}
