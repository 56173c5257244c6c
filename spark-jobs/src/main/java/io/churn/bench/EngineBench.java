package io.churn.bench;

import io.churn.network.Layout;
import io.churn.network.LayoutSolver;
import io.churn.network.Shape;
import io.churn.spec.RunSpec;
import io.churn.train.Engine;
import io.churn.train.TrainableNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Loader;

/**
 * Time per training step of every engine on BUTTER-sized rectangle networks, one thread, Adam, on
 * synthetic data; and of the PyTorch peer on the same networks, in the same invocation. A step is
 * counted as {@value #FLOPS_PER_PARAMETER_AND_ROW} x parameters x batch FLOPs (forward 2, backward 4).
 */
public final class EngineBench {

    /** Multiply-adds per parameter and row in a step: forward pass, input gradient and weight gradient. */
    public static final int FLOPS_PER_PARAMETER_AND_ROW = 6;

    /**
     * What to time: every depth x batch x size, each timed for at least {@code epochs} epochs and
     * {@code seconds} seconds after half as long of warm-up, in {@code rounds} rounds that take every
     * engine and the peer in turn, each keeping its fastest round (a machine's speed drifts; taking
     * turns gives every contender the same chances); {@code torch} is the peer script, or null to
     * leave the peer out.
     */
    public record Settings(List<Long> sizes, List<Integer> batches, List<Integer> depths, int inputs, int outputs,
                           int rows, int epochs, double seconds, int rounds, Path torch) {
        public Settings {
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be at least 1, not " + rounds);
            }
            sizes = List.copyOf(sizes);
            batches = List.copyOf(batches);
            depths = List.copyOf(depths);
        }
    }

    /** One engine's microseconds per step; NaN when the engine does not train the network. */
    public record Timing(Engine engine, double micros) {
    }

    /**
     * One network at one batch size: each engine's time and the peer's (NaN without one);
     * {@code layout} is null when no rectangle of this depth comes near the size.
     */
    public record Row(int depth, int batch, long size, Layout layout, List<Timing> engines, double torchMicros) {
        public Row {
            engines = List.copyOf(engines);
        }

        public List<Integer> hiddenWidths() {
            return TorchPeer.hiddenWidths(layout);
        }

        public double flopsPerStep() {
            return (double) FLOPS_PER_PARAMETER_AND_ROW * layout.numFreeParameters() * batch;
        }

        /** GFLOP/s at {@code micros} microseconds per step. */
        public double gflops(double micros) {
            return flopsPerStep() / (micros * 1e3);
        }

        /** The fastest engine on this network, if any trained it. */
        public Optional<Timing> best() {
            return engines.stream().filter(t -> !Double.isNaN(t.micros())).min(Comparator.comparingDouble(Timing::micros));
        }

        /** PyTorch's time over the fastest engine's: how many times faster Churn is. */
        public double torchOverBest() {
            return best().map(t -> torchMicros / t.micros()).orElse(Double.NaN);
        }
    }

    private final Settings settings;

    private EngineBench(Settings settings) {
        this.settings = settings;
    }

    public static EngineBench of(Settings settings) {
        return new EngineBench(settings);
    }

    /** Every engine but {@code auto}, which only picks one of them. */
    public static List<Engine> engines() {
        return Arrays.stream(Engine.values()).filter(e -> e != Engine.AUTO).toList();
    }

    /** What the PyTorch peer runs on ({@link TorchPeer#platform}); null without a peer. */
    public String peerPlatform() throws Exception {
        Settings s = settings;
        if (s.torch() == null) return null;
        TorchPeer peer = new TorchPeer(s.torch(), s.inputs(), s.outputs(), s.rows(), 1);
        return peer.platform(LayoutSolver.solve(Shape.RECTANGLE, 3, 2048, s.inputs(), s.outputs()), 256);
    }

    /**
     * The OpenBLAS the engines run on: its version and how its kernels are chosen (for this CPU, or
     * as {@code OPENBLAS_CORETYPE} forces them for the process and the peer alike).
     */
    public static String enginePlatform() throws IOException {
        String forced = System.getenv("OPENBLAS_CORETYPE");
        return "OpenBLAS " + Loader.getVersion("org.bytedeco", "openblas") + ", "
                + (forced == null || forced.isBlank() ? "its kernels for this CPU"
                : "core " + forced + " forced by OPENBLAS_CORETYPE (the peer's too)");
    }

    /** Times every depth, batch and size in turn, handing each row over as soon as it is measured. */
    public void run(Consumer<Row> rows) throws Exception {
        Settings s = settings;
        SyntheticData data = SyntheticData.of(s.inputs(), s.outputs(), s.rows());
        TorchPeer peer = s.torch() == null ? null
                : new TorchPeer(s.torch(), s.inputs(), s.outputs(), s.rows(), s.epochs());
        for (int depth : s.depths()) {
            for (int batch : s.batches()) {
                StepTimer timer = new StepTimer(data, batch, s.epochs(), s.seconds());
                for (long size : s.sizes()) {
                    Layout layout;
                    try {
                        layout = LayoutSolver.solve(Shape.RECTANGLE, depth, size, s.inputs(), s.outputs());
                    } catch (LayoutSolver.NonConformantLayoutException e) {
                        rows.accept(new Row(depth, batch, size, null, List.of(), Double.NaN));
                        continue;
                    }
                    RunSpec run = BenchSpecs.syntheticRun(layout.shape(), depth, size, batch);
                    List<Engine> engines = engines();
                    double[] best = new double[engines.size()];
                    Arrays.fill(best, Double.POSITIVE_INFINITY);
                    double torch = peer == null ? Double.NaN : Double.POSITIVE_INFINITY;
                    for (int round = 0; round < s.rounds(); round++) {
                        for (int e = 0; e < engines.size(); e++) {
                            // NaN (an engine that does not train the network) stays NaN: min keeps it
                            best[e] = Math.min(best[e], time(engines.get(e), run, layout, data, timer));
                        }
                        if (peer != null) {
                            torch = Math.min(torch, peer.microsPerStep(layout, batch));
                        }
                    }
                    List<Timing> timings = new ArrayList<>();
                    for (int e = 0; e < engines.size(); e++) {
                        timings.add(new Timing(engines.get(e), best[e]));
                    }
                    rows.accept(new Row(depth, batch, size, layout, timings, torch));
                }
            }
        }
    }

    private static double time(Engine engine, RunSpec run, Layout layout, SyntheticData data, StepTimer timer) {
        TrainableNetwork net;
        try {
            net = engine.create(run, layout, data.table());
        } catch (IllegalArgumentException notForThisNetwork) {
            // an engine may refuse a network it does not train (as fused refuses residual shapes)
            return Double.NaN;
        }
        return timer.microsPerStep(net);
    }
}
