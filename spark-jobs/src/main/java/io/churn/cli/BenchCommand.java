package io.churn.cli;

import io.churn.bench.ButterBench;
import io.churn.bench.DataParallelBench;
import io.churn.bench.EngineBench;
import io.churn.bench.LedgerBench;
import io.churn.bench.PbtBench;
import io.churn.bench.SgemmPeak;
import io.churn.bench.SweepBench;
import io.churn.train.Engine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code churn bench}: measurements that print figures (never asserted in tests). Each subcommand
 * turns its flags into a benchmark of {@code io.churn.bench}, starts Spark where it needs it, and
 * prints the result.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures.",
        subcommands = {BenchCommand.Engines.class, BenchCommand.Butter.class, BenchCommand.Sweep.class, BenchCommand.Ledger.class,
                BenchCommand.Pbt.class, BenchCommand.DataParallelTraining.class})
final class BenchCommand {

    @Command(name = "ledger", mixinStandardHelpOptions = true,
            description = "Time recording N planned runs in the ledger (a fresh embedded PostgreSQL in a temporary"
                    + " folder), then recording them again (all already known).")
    static final class Ledger implements Callable<Integer> {

        @Spec
        CommandSpec command;

        @Option(names = "--runs", defaultValue = "100000", description = "Planned runs (default: ${DEFAULT-VALUE}).")
        int runs;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = command.commandLine().getOut();
            LedgerBench.Result r = LedgerBench.run(runs);
            out.printf("runs %d: expand %.2f s, record (new) %.2f s = %.0f runs/s, record again %.2f s%n",
                    r.runs(), r.expandSeconds(), r.recordSeconds(), r.runsPerSecond(), r.recordAgainSeconds());
            out.flush();
            return 0;
        }
    }

    @Command(name = "pbt", mixinStandardHelpOptions = true,
            description = "Run a PBT spec, then a random search with the same members' initial hyperparameters and the"
                    + " same total epochs (each member trains all epochs with fixed hyperparameters), and compare"
                    + " their best and median scores. Uses a fresh embedded PostgreSQL in a temporary folder.")
    static final class Pbt implements Callable<Integer> {

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

    @Command(name = "engines", mixinStandardHelpOptions = true,
            description = "Time per training step of every engine for BUTTER-sized rectangle networks on synthetic"
                    + " data, one thread, Adam, with GFLOP/s and share of the core's peak (a single-thread OpenBLAS"
                    + " sgemm measured first, in the same invocation); with --torch, the PyTorch peer"
                    + " (torch_mlp.py) on the same networks and its time over the fastest engine's.")
    static final class Engines implements Callable<Integer> {

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

        @Option(names = "--inputs", defaultValue = "26") int inputs;
        @Option(names = "--outputs", defaultValue = "4") int outputs;
        @Option(names = "--rows", defaultValue = "12958") int rows;
        @Option(names = "--epochs", defaultValue = "2", description = "Least timed epochs (default: ${DEFAULT-VALUE}).")
        int epochs;
        @Option(names = "--seconds", defaultValue = "2", description = "Least timed seconds per network and engine,"
                + " after half as long of warm-up (default: ${DEFAULT-VALUE}).")
        double seconds;
        @Option(names = "--peak-order", defaultValue = "2048",
                description = "Order n of the n x n x n sgemm that measures the peak (default: ${DEFAULT-VALUE}).")
        int peakOrder;

        @Option(names = "--torch", paramLabel = "SCRIPT",
                description = "The PyTorch peer script, run with /usr/bin/python3 (e.g. ../shared/peers/torch_mlp.py).")
        Path torch;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = command.commandLine().getOut();
            EngineBench bench = EngineBench.of(new EngineBench.Settings(sizes, batches, depths, inputs, outputs, rows,
                    epochs, seconds, torch));
            SgemmPeak.Peak peak = SgemmPeak.measure(peakOrder);
            out.printf("peak: OpenBLAS sgemm %d^3 through JavaCPP, one thread: %.1f GFLOP/s (fastest of %d)%n",
                    peak.n(), peak.gflops(), peak.calls());
            out.printf("one thread, Adam, rectangles, %d inputs, %d classes, %d rows; a step is %d x parameters x"
                    + " batch FLOPs; GF/s = GFLOP/s, %% = share of the peak%n", inputs, outputs, rows,
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

    @Command(name = "butter", mixinStandardHelpOptions = true,
            description = "Time a BUTTER-like sweep on Churn and on the PyTorch peer: every shape x depth x size of the"
                    + " grid, each network's time per step measured over a few epochs of synthetic data (one thread,"
                    + " Adam), a run's time taken as its steps x that time, and the sums over the grid compared. By"
                    + " default every other size of BUTTER's 2^5..2^20, the largest included.")
    static final class Butter implements Callable<Integer> {

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
        @Option(names = "--inputs", defaultValue = "26") int inputs;
        @Option(names = "--outputs", defaultValue = "4") int outputs;
        @Option(names = "--rows", defaultValue = "12958", description = "Rows per epoch (default: ${DEFAULT-VALUE}).")
        int rows;
        @Option(names = "--run-epochs", defaultValue = "3000",
                description = "Epochs of a run, as in BUTTER's sweeps (default: ${DEFAULT-VALUE}).")
        int runEpochs;
        @Option(names = "--epochs", defaultValue = "1", description = "Least timed epochs per network (default:"
                + " ${DEFAULT-VALUE}).")
        int epochs;
        @Option(names = "--seconds", defaultValue = "0.5", description = "Least timed seconds per network on Churn,"
                + " after half as long of warm-up (default: ${DEFAULT-VALUE}).")
        double seconds;
        @Option(names = "--engine", paramLabel = "E", converter = SweepJob.EngineConverter.class, defaultValue = "auto",
                description = "Churn's engine, as a sweep's engine (default: ${DEFAULT-VALUE}).")
        Engine engine;
        @Option(names = "--torch", paramLabel = "SCRIPT",
                description = "The PyTorch peer script, run with /usr/bin/python3 (e.g. ../shared/peers/torch_mlp.py).")
        Path torch;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = command.commandLine().getOut();
            ButterBench.Settings s = new ButterBench.Settings(shapes, depths, sizes, batch, inputs, outputs, rows,
                    runEpochs, epochs, seconds, engine, torch);
            out.printf("BUTTER-like grid: shapes %s, depths %s, sizes %s%n", String.join(",", shapes),
                    depths.stream().map(String::valueOf).collect(Collectors.joining(",")),
                    sizes.stream().map(Butter::size).collect(Collectors.joining(",")));
            out.printf("a run = %d epochs x %d steps of batch %d = %d steps; its time = steps x time per step, measured"
                    + " over >= %d epochs of synthetic data (%d inputs, %d classes), one thread, Adam; Churn on %s%n",
                    runEpochs, (rows + batch - 1) / batch, batch, s.stepsPerRun(), epochs, inputs, outputs,
                    engine.specName());
            out.printf("%9s %5s %-20s %12s %12s %12s%n", "size", "runs", "churn engines", "churn h", "torch h",
                    "torch/churn");
            out.flush();
            ButterBench.Result result = ButterBench.of(s).run(size -> {
                double churnSeconds = s.stepsPerRun() * size.churnMicros() / 1e6;
                double torchSeconds = s.stepsPerRun() * size.torchMicros() / 1e6;
                out.printf("%9s %5d %-20s %12s %12s %12s%s%n", size(size.size()), size.runs().size(),
                        size.engines(), figure("%.2f", churnSeconds / 3600), figure("%.2f", torchSeconds / 3600),
                        figure("%.2fx", torchSeconds / churnSeconds),
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

    @Command(name = "data-parallel", mixinStandardHelpOptions = true,
            description = "Train the same large run (DL4J, rectangle) on the master given by spark.master (local[*] by"
                    + " default) twice: as one Spark task, and data-parallel over every task slot (parameter"
                    + " averaging); print both wall times, their ratio and the final test losses. A one-epoch run"
                    + " as one task warms the JVM and ND4J up first.")
    static final class DataParallelTraining implements Callable<Integer> {

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

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "Run a sweep of small runs (banana, rectangle and trapezoid, fused engine) on the master given by"
                    + " spark.master (local[*] by default) with a fresh embedded PostgreSQL, and compare its wall time"
                    + " with the sum of the runs' own times divided by the task slots.")
    static final class Sweep implements Callable<Integer> {

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
}
