package io.churn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.hadoop.HadoopDataSource;
import io.churn.network.Layout;
import io.churn.network.LayoutSolver;
import io.churn.spec.SpecParser;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code churn layout}: the network a run would build, as JSON, without training anything. */
@Command(name = "layout", mixinStandardHelpOptions = true,
        description = "Print the network a shape, depth and size give for a dataset (or for given input and"
                + " output counts) as JSON. Exits 2 when no conformant layout exists.")
final class LayoutCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @ArgGroup(multiplicity = "1")
    Data data;

    static final class Data {
        @Option(names = "--dataset", required = true, paramLabel = "D",
                description = "A bundled dataset, a PMLB file path/URI, or mnist:FOLDER.")
        String dataset;

        @ArgGroup(exclusive = false)
        Counts counts;
    }

    static final class Counts {
        @Option(names = "--inputs", required = true, paramLabel = "N", description = "Inputs after preprocessing.")
        int inputs;

        @Option(names = "--outputs", required = true, paramLabel = "M", description = "Outputs.")
        int outputs;
    }

    @Option(names = "--shape", required = true, paramLabel = "S", description = "e.g. rectangle, trapezoid_residual.")
    String shape;

    @Option(names = "--depth", required = true, paramLabel = "N", description = "Dense layers, counting the output layer.")
    int depth;

    @Option(names = "--size", required = true, paramLabel = "P", description = "Parameter budget.")
    long size;

    @Override
    public Integer call() throws Exception {
        if (depth < 2 || depth > SpecParser.MAX_DEPTH) {
            throw new IllegalArgumentException("--depth " + depth + " is not allowed; use 2 to " + SpecParser.MAX_DEPTH);
        }
        if (size < 1) {
            throw new IllegalArgumentException("--size " + size + " is not allowed; use a budget >= 1");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        int nIn;
        int nOut;
        if (data.dataset != null) {
            PreparedDataset d;
            try {
                d = Datasets.load(data.dataset, new HadoopDataSource());
            } catch (IllegalArgumentException | UncheckedIOException e) {
                // a table that is not one, or a file that cannot be read: the message names the file, never its rows
                throw new IllegalArgumentException("--dataset " + e.getMessage());
            }
            nIn = d.nIn();
            nOut = d.nOut();
            json.put("dataset", data.dataset);
            json.put("task", d.task().specName());
        } else {
            if (data.counts.inputs < 1 || data.counts.outputs < 1) {
                throw new IllegalArgumentException("--inputs and --outputs must be >= 1");
            }
            nIn = data.counts.inputs;
            nOut = data.counts.outputs;
            json.put("task", null);
        }
        Layout layout = LayoutSolver.solve(shape, depth, size, nIn, nOut);
        json.put("shape", layout.shape());
        json.put("depth", layout.depth());
        json.put("size", size);
        json.put("n_in", layout.nIn());
        json.put("n_out", layout.nOut());
        json.put("widths", layout.widths());
        json.put("num_free_parameters", layout.numFreeParameters());
        json.put("relative_error", (layout.numFreeParameters() - size) / (double) size);
        command.commandLine().getOut().println(
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        command.commandLine().getOut().flush();
        return 0;
    }
}
