package io.churn.train;

import io.churn.spec.SpecWord;
import io.churn.data.PreparedDataset;
import io.churn.network.Layout;
import io.churn.spec.RunSpec;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which code trains a run. The fused engine trains every dense network, residual or not, of any
 * size; DL4J is there for what only it does: ND4J's GPU backend, and data-parallel runs across a
 * cluster. {@code auto} picks by what {@code churn bench engines} measures: on a CPU the fused
 * engine is faster than DL4J at every size (~30x at a few hundred parameters, ~1.7x at 2^20, one
 * thread, batch 256), so it takes every run; on ND4J's CUDA backend {@code auto} leaves the run to DL4J,
 * which trains it on the GPU (not measured against the fused engine there: no GPU was at hand).
 */
public enum Engine implements SpecWord, NetworkFactory {
    AUTO, FUSED, DL4J;

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Engine fromSpecName(String value) {
        return SpecWord.parse(Engine.class, value, "an engine");
    }

    /** The engine that trains {@code layout}: this one, or for {@code auto} the faster one on this backend. */
    public Engine resolve(Layout layout) {
        return switch (this) {
            case AUTO -> OnCpu.ND4J_ON_CPU ? FUSED : DL4J;
            case FUSED, DL4J -> this;
        };
    }

    @Override
    public String engineName(Layout layout) {
        return resolve(layout).specName();
    }

    @Override
    public TrainableNetwork create(RunSpec run, Layout layout, PreparedDataset data) {
        return switch (resolve(layout)) {
            case FUSED -> FusedMlp.create(run, layout, data.task());
            case DL4J -> new Dl4jNetwork(Trainer.build(run, layout, data.task()), data.nIn(), data.nOut());
            case AUTO -> throw new IllegalStateException("auto resolves to an engine");
        };
    }

    /** Asked once, when {@code auto} first resolves: ND4J's backend loads its native code. */
    private static final class OnCpu {
        static final boolean ND4J_ON_CPU = Nd4j.getEnvironment().isCPU();
    }
}
