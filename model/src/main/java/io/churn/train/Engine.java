package io.churn.train;

import io.churn.data.PreparedDataset;
import io.churn.network.Layout;
import io.churn.network.Shape;
import io.churn.spec.RunSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which code trains a run. {@code auto} picks the fused engine for plain dense networks up to
 * {@link #FUSED_MAX_PARAMETERS} parameters (where it is faster, as {@code churn bench engines}
 * measures) and DL4J for larger or residual networks.
 */
public enum Engine implements NetworkFactory {
    AUTO, FUSED, DL4J;

    /** The largest network the fused engine trains under {@code auto}. */
    public static final long FUSED_MAX_PARAMETERS = 65_536;

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Engine fromSpecName(String value) {
        for (Engine e : values()) {
            if (e.specName().equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not an engine; allowed: "
                + Arrays.stream(values()).map(Engine::specName).collect(Collectors.joining(", ")));
    }

    /** The engine that trains {@code layout}: this one, or for {@code auto} the faster one for its size. */
    public Engine resolve(Layout layout) {
        boolean residual = Shape.isResidual(layout.shape());
        if (this == FUSED && residual) {
            throw new IllegalArgumentException("the fused engine trains plain dense networks; " + layout.shape()
                    + " needs the dl4j engine");
        }
        if (this != AUTO) {
            return this;
        }
        return !residual && layout.numFreeParameters() <= FUSED_MAX_PARAMETERS ? FUSED : DL4J;
    }

    @Override
    public String engineName(Layout layout) {
        return resolve(layout).specName();
    }

    @Override
    public TrainableNetwork create(RunSpec run, Layout layout, PreparedDataset data) {
        return resolve(layout) == FUSED ? FusedMlp.create(run, layout, data.task())
                : new Dl4jNetwork(Trainer.build(run, layout, data.task()), data.nIn(), data.nOut());
    }
}
