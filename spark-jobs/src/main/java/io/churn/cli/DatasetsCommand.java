package io.churn.cli;

import io.churn.data.Datasets;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code churn datasets}: the bundled datasets and what preprocessing makes of them. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List the bundled datasets with their task, rows, inputs and outputs after preprocessing.")
final class DatasetsCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        out.printf("%-22s %-11s %7s %5s %6s%n", "dataset", "task", "rows", "n_in", "n_out");
        for (Datasets.Entry e : Datasets.catalog()) {
            out.printf("%-22s %-11s %7d %5d %6d%n", e.name(), e.task().specName(), e.rows(), e.nIn(), e.nOut());
        }
        out.println("Also: any PMLB file by path or Hadoop URI (.tsv/.csv, optionally .gz, with a 'target' column),"
                + " and mnist:FOLDER or fashion_mnist:FOLDER with the IDX files.");
        out.flush();
        return 0;
    }
}
