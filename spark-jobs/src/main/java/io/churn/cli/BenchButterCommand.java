package io.churn.cli;

import io.churn.bench.ButterBench;
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

/** {@code churn bench butter}: a BUTTER-like sweep on Churn and on the PyTorch peer, one line per size. */
@Command(name = "butter", mixinStandardHelpOptions = true,
        description = "Time a BUTTER-like sweep on Churn and on the PyTorch peer: every shape x depth x size of the"
                + " grid, each network's time per step measured over a few epochs of synthetic data (one thread,"
                + " Adam), a run's time taken as its steps x that time, and the sums over the grid compared. By"
                + " default every other size of BUTTER's 2^5..2^20, the largest included.")
final class BenchButterCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Option(names = "--shapes", split = ",", defaultValue = "rectangle,trapezoid,exponential,wide_first",
            description = "(default: ${DEFAULT-VALUE}).")
    List<String> shapes;
    @Option(names = "--depths", split = ",", defaultValue = "2,3,4,5,6", description = "(default: ${DEFAULT-VALUE}).")
    List<Integer> depths;
    @Option(names = "--sizes", split = ",", defaultValue = "64,256,1024,4096,16384,65536,262144,1048576",
            description = "Parameter budgets (default: ${DEFAULT-VALUE}).")
    List<Long> sizes;
    @Option(names = "--batch", defaultValue = "256") int batch;
    @Mixin
    SyntheticNetworkOptions data;
    @Option(names = "--run-epochs", defaultValue = "3000",
            description = "Epochs of a run, as in BUTTER's sweeps (default: ${DEFAULT-VALUE}).")
    int runEpochs;
    @Option(names = "--epochs", defaultValue = "1", description = "Least timed epochs per network (default:"
            + " ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--seconds", defaultValue = "0.3", description = "Least timed seconds per network on Churn,"
            + " after half as long of warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;
    @Option(names = "--engine", paramLabel = "E", converter = SweepJob.EngineConverter.class, defaultValue = "auto",
            description = "Churn's engine, as a sweep's engine (default: ${DEFAULT-VALUE}).")
    Engine engine;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        ButterBench.Settings s = new ButterBench.Settings(shapes, depths, sizes, batch, data.inputs, data.outputs,
                data.rows, runEpochs, epochs, seconds, engine, data.torch);
        out.printf("BUTTER-like grid: shapes %s, depths %s, sizes %s%n", String.join(",", shapes),
                depths.stream().map(String::valueOf).collect(Collectors.joining(",")),
                sizes.stream().map(BenchButterCommand::size).collect(Collectors.joining(",")));
        out.printf("a run = %d epochs x %d steps of batch %d = %d steps; its time = steps x time per step, measured"
                + " over >= %d epochs of synthetic data (%d inputs, %d classes), one thread, Adam; Churn on %s%n",
                runEpochs, (data.rows + batch - 1) / batch, batch, s.stepsPerRun(), epochs, data.inputs, data.outputs,
                engine.specName());
        out.printf("%9s %5s %-20s %12s %12s %12s%n", "size", "runs", "churn engines", "churn h", "torch h",
                "torch/churn");
        out.flush();
        ButterBench.Result result = ButterBench.of(s).run(size -> {
            out.printf("%9s %5d %-20s %12s %12s %12s%s%n", size(size.size()), size.runs().size(),
                    size.engines(), figure("%.2f", size.churnSeconds() / 3600),
                    figure("%.2f", size.torchSeconds() / 3600), figure("%.2fx", size.torchOverChurn()),
                    size.nonConformant() == 0 ? "" : " (" + size.nonConformant() + " without a conformant layout)");
            out.flush();
        });
        out.printf("whole grid: %d runs, %s h of one core on Churn, %s h on PyTorch: PyTorch / Churn = %s%n",
                result.runs(), figure("%.1f", result.churnSeconds() / 3600),
                figure("%.1f", result.torchSeconds() / 3600), figure("%.2fx", result.torchOverChurn()));
        out.flush();
        return 0;
    }

    /** A figure, or a dash for one not measured (no --torch). */
    private static String figure(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(format, value);
    }

    /** A size as a power of two where it is one. */
    private static String size(long size) {
        return Long.bitCount(size) == 1 ? "2^" + Long.numberOfTrailingZeros(size) : Long.toString(size);
    }
}
