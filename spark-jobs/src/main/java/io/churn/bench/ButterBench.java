package io.churn.bench;

import io.churn.network.Layout;
import io.churn.network.LayoutSolver;
import io.churn.spec.RunSpec;
import io.churn.train.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A whole BUTTER-like sweep timed on Churn and on the PyTorch peer: every shape x depth x size of
 * the grid, each network's time per step measured on synthetic data of the grid's input and output
 * size, and a run's time taken as its steps x that time. BUTTER's sizes are evenly spaced in log
 * scale, so the largest few carry almost all of a sweep's time: the ratio of the sums is the
 * figure a sweep's user sees.
 */
public final class ButterBench {

    /**
     * The grid and how to time it: each network on {@code engine} for at least {@code epochs} epochs
     * and {@code seconds} seconds after half as long of warm-up; a run is {@code runEpochs} epochs of
     * {@code rows} rows. {@code torch} is the peer script, or null to time Churn alone.
     */
    public record Settings(List<String> shapes, List<Integer> depths, List<Long> sizes, int batch, int inputs,
                           int outputs, int rows, int runEpochs, int epochs, double seconds, Engine engine,
                           Path torch) {
        public Settings {
            shapes = List.copyOf(shapes);
            depths = List.copyOf(depths);
            sizes = List.copyOf(sizes);
        }

        /** Steps in one run: every epoch's minibatches, the last one partial. */
        public long stepsPerRun() {
            return (long) runEpochs * ((rows + batch - 1) / batch);
        }
    }

    /** One network of the grid: the engine Churn trained it on, and both times per step (NaN when not timed). */
    public record Run(String shape, int depth, long size, Layout layout, String engine, double churnMicros,
                      double torchMicros) {
    }

    /**
     * The runs of one size, each {@code stepsPerRun} steps, and the grid points of that size no
     * network of the shape and depth fits.
     */
    public record SizeResult(long size, long stepsPerRun, List<Run> runs, int nonConformant) {
        public SizeResult {
            runs = List.copyOf(runs);
        }

        /** Seconds of one core to train these runs once on Churn. */
        public double churnSeconds() {
            return stepsPerRun * runs.stream().mapToDouble(Run::churnMicros).sum() / 1e6;
        }

        public double torchSeconds() {
            return stepsPerRun * runs.stream().mapToDouble(Run::torchMicros).sum() / 1e6;
        }

        /** PyTorch's time over Churn's: how many times faster Churn trains these runs. */
        public double torchOverChurn() {
            return torchSeconds() / churnSeconds();
        }

        /** How many of the runs each engine trained, e.g. "fused 12, dl4j 8". */
        public String engines() {
            List<String> names = runs.stream().map(Run::engine).distinct().toList();
            List<String> counts = new ArrayList<>();
            for (String name : names) {
                counts.add(name + " " + runs.stream().filter(r -> r.engine().equals(name)).count());
            }
            return String.join(", ", counts);
        }
    }

    /** The whole grid, size by size. */
    public record Result(List<SizeResult> sizes) {
        public Result {
            sizes = List.copyOf(sizes);
        }

        public int runs() {
            return sizes.stream().mapToInt(s -> s.runs().size()).sum();
        }

        /** Seconds of one core to train every run of the grid once on Churn. */
        public double churnSeconds() {
            return sizes.stream().mapToDouble(SizeResult::churnSeconds).sum();
        }

        public double torchSeconds() {
            return sizes.stream().mapToDouble(SizeResult::torchSeconds).sum();
        }

        /** PyTorch's time for the sweep over Churn's: how many times faster Churn trains it. */
        public double torchOverChurn() {
            return torchSeconds() / churnSeconds();
        }
    }

    private final Settings settings;

    private ButterBench(Settings settings) {
        this.settings = settings;
    }

    public static ButterBench of(Settings settings) {
        return new ButterBench(settings);
    }

    /** Times the grid size by size, smallest first, handing each size over as soon as it is measured. */
    public Result run(Consumer<SizeResult> each) throws Exception {
        Settings s = settings;
        SyntheticData data = SyntheticData.of(s.inputs(), s.outputs(), s.rows());
        StepTimer timer = new StepTimer(data, s.batch(), s.epochs(), s.seconds());
        TorchPeer peer = s.torch() == null ? null
                : new TorchPeer(s.torch(), s.inputs(), s.outputs(), s.rows(), s.epochs());
        List<SizeResult> sizes = new ArrayList<>();
        for (long size : s.sizes()) {
            List<Run> runs = new ArrayList<>();
            int nonConformant = 0;
            for (String shape : s.shapes()) {
                for (int depth : s.depths()) {
                    Layout layout;
                    try {
                        layout = LayoutSolver.solve(shape, depth, size, s.inputs(), s.outputs());
                    } catch (LayoutSolver.NonConformantLayoutException e) {
                        nonConformant++;
                        continue;
                    }
                    RunSpec run = BenchSpecs.syntheticRun(shape, depth, size, s.batch());
                    double churn = timer.microsPerStep(s.engine().create(run, layout, data.table()));
                    double torch = peer == null ? Double.NaN : peer.microsPerStep(layout, s.batch());
                    runs.add(new Run(shape, depth, size, layout, s.engine().engineName(layout), churn, torch));
                }
            }
            SizeResult result = new SizeResult(size, s.stepsPerRun(), runs, nonConformant);
            each.accept(result);
            sizes.add(result);
        }
        return new Result(sizes);
    }
}
