package io.churn.cli;

import io.churn.bench.EngineBench;
import io.churn.bench.SgemmPeak;
import io.churn.train.Engine;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code churn bench engines}: the engines against the sgemm peak and the PyTorch peer, one row per network. */
@Command(name = "engines", mixinStandardHelpOptions = true,
        description = "Time per training step of every engine for BUTTER-sized rectangle networks on synthetic"
                + " data, one thread, Adam, with GFLOP/s and share of the core's peak (a single-thread OpenBLAS"
                + " sgemm measured first, in the same invocation); with --torch, the PyTorch peer"
                + " (torch_mlp.py) on the same networks and its time over the fastest engine's.")
final class BenchEnginesCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Option(names = "--sizes", split = ",", defaultValue = "256,2048,16384,65536,262144,1048576",
            description = "Parameter budgets (default: ${DEFAULT-VALUE}).")
    List<Long> sizes;
    @Option(names = {"--batches", "--batch"}, split = ",", defaultValue = "256,32",
            description = "Rows per step (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;
    @Option(names = "--depths", split = ",", defaultValue = "3,6",
            description = "Dense layers, the output layer included (default: ${DEFAULT-VALUE}).")
    List<Integer> depths;

    @Mixin
    SyntheticNetworkOptions data;
    @Option(names = "--epochs", defaultValue = "2", description = "Least timed epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--seconds", defaultValue = "1", description = "Least timed seconds per network and engine,"
            + " after half as long of warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;
    @Option(names = "--rounds", defaultValue = "3", description = "Rounds that time every engine and the peer in"
            + " turn; each keeps its fastest (default: ${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = "--peak-order", defaultValue = "2048",
            description = "Order n of the n x n x n sgemm that measures the peak (default: ${DEFAULT-VALUE}).")
    int peakOrder;


    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        EngineBench bench = EngineBench.of(new EngineBench.Settings(sizes, batches, depths, data.inputs, data.outputs,
                data.rows, epochs, seconds, rounds, data.torch));
        SgemmPeak.Peak peak = SgemmPeak.measure(peakOrder);
        out.printf("peak: OpenBLAS sgemm %d^3 through JavaCPP, one thread: %.1f GFLOP/s (fastest of %d; cores busy"
                + " %.2f)%n", peak.n(), peak.gflops(), peak.calls(), peak.coresBusy());
        out.printf("engines: %s%n", EngineBench.enginePlatform());
        String peer = bench.peerPlatform();
        if (peer != null) out.printf("peer: %s%n", peer);
        out.printf("one thread, Adam, rectangles, %d inputs, %d classes, %d rows; a step is %d x parameters x"
                + " batch FLOPs; GF/s = GFLOP/s, %% = share of the peak%n", data.inputs, data.outputs, data.rows,
                EngineBench.FLOPS_PER_PARAMETER_AND_ROW);
        StringBuilder header = new StringBuilder(String.format("%5s %5s %9s %-24s", "depth", "batch", "params",
                "hidden widths"));
        for (Engine e : EngineBench.engines()) {
            header.append(String.format(" %10s %6s %4s", e.specName() + "_us", "GF/s", "%"));
        }
        header.append(String.format(" %10s %6s %4s %10s", "torch_us", "GF/s", "%", "torch/best"));
        out.println(header);
        out.flush();
        bench.run(row -> {
            out.println(engineRow(row, peak));
            out.flush();
        });
        return 0;
    }

    private static String engineRow(EngineBench.Row row, SgemmPeak.Peak peak) {
        if (row.layout() == null) {
            return String.format("%5d %5d %9d no rectangle of this depth has about this many parameters",
                    row.depth(), row.batch(), row.size());
        }
        StringBuilder line = new StringBuilder(String.format("%5d %5d %9d %-24s", row.depth(), row.batch(),
                row.layout().numFreeParameters(), row.hiddenWidths().stream().map(String::valueOf)
                        .collect(Collectors.joining(","))));
        for (EngineBench.Timing t : row.engines()) {
            line.append(speed(row, peak, t.micros()));
        }
        line.append(speed(row, peak, row.torchMicros()));
        line.append(Double.isNaN(row.torchOverBest()) ? String.format(" %10s", "-")
                : String.format(" %9.2fx", row.torchOverBest()));
        return line.toString();
    }

    /** Microseconds per step, GFLOP/s and share of the peak, or dashes for a time not measured. */
    private static String speed(EngineBench.Row row, SgemmPeak.Peak peak, double micros) {
        if (Double.isNaN(micros)) {
            return String.format(" %10s %6s %4s", "-", "-", "-");
        }
        double gflops = row.gflops(micros);
        return String.format(" %10.1f %6.1f %3.0f%%", micros, gflops, 100 * peak.share(gflops));
    }
}
