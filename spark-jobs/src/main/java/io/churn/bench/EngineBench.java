package io.churn.bench;

import io.churn.network.Layout;
import io.churn.network.LayoutSolver;
import io.churn.network.Shape;
import io.churn.spec.RunSpec;
import io.churn.train.Engine;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Time per training step of the engines on BUTTER-sized rectangle networks (depth 3) on synthetic
 * data, one thread, Adam; and of the PyTorch peer on the same networks, in the same invocation.
 */
public final class EngineBench {

    /** What to time; {@code torch} is the peer script, or null to leave the peer out. */
    public record Settings(List<Long> sizes, int inputs, int outputs, int rows, int batch, int epochs, Path torch) {
        public Settings {
            sizes = List.copyOf(sizes);
        }
    }

    /** One network: microseconds per step of each engine and of the peer (NaN without one). */
    public record Row(Layout layout, int batch, double fusedMicros, double dl4jMicros, double torchMicros) {
        public List<Integer> hiddenWidths() {
            return layout.widths().subList(0, layout.widths().size() - 1);
        }
    }

    private EngineBench() {
    }

    /** Times every size in turn, handing each row over as soon as it is measured. */
    public static void run(Settings s, Consumer<Row> rows) throws Exception {
        SyntheticData data = SyntheticData.of(s.inputs(), s.outputs(), s.rows());
        StepTimer timer = new StepTimer(data, s.batch(), s.epochs(), 2);
        TorchPeer peer = s.torch() == null ? null
                : new TorchPeer(s.torch(), s.inputs(), s.outputs(), s.rows(), s.epochs());
        for (long size : s.sizes()) {
            Layout layout = LayoutSolver.solve(Shape.RECTANGLE, 3, size, s.inputs(), s.outputs());
            RunSpec run = BenchSpecs.syntheticRun("rectangle", 3, size, s.batch());
            double fused = timer.microsPerStep(Engine.FUSED.create(run, layout, data.table()));
            double dl4j = timer.microsPerStep(Engine.DL4J.create(run, layout, data.table()));
            Row row = new Row(layout, s.batch(), fused, dl4j, Double.NaN);
            double torch = peer == null ? Double.NaN : peer.microsPerStep(row.hiddenWidths(), s.batch());
            rows.accept(new Row(layout, s.batch(), fused, dl4j, torch));
        }
    }
}
