package io.churn.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DL4J engine: a {@link ComputationGraph} trained through ND4J (any size, residual shapes, GPUs).
 * A graph with dropout draws each step's masks from its seed and the step's number (ND4J's random
 * generator, one per thread, reseeded before the step), so a run resumed from a checkpoint draws the
 * masks it would have drawn.
 */
public final class Dl4jNetwork implements TrainableNetwork {

    private final ComputationGraph graph;
    private final int nIn;
    private final int nOut;
    private final boolean drops;
    private final long seed;

    public Dl4jNetwork(ComputationGraph graph, int nIn, int nOut) {
        this.graph = graph;
        this.nIn = nIn;
        this.nOut = nOut;
        this.drops = Arrays.stream(graph.getLayers()).anyMatch(l -> l.conf().getLayer().getIDropout() != null);
        this.seed = graph.getConfiguration().getDefaultConfiguration().getSeed();
    }

    public ComputationGraph graph() {
        return graph;
    }

    @Override
    public void fit(float[] x, float[] y, int rows) {
        if (drops) {
            Nd4j.getRandom().setSeed(seed + 0x9E3779B97F4A7C15L * (graph.getConfiguration().getIterationCount() + 1L));
        }
        graph.fit(new INDArray[] {Nd4j.create(x, new long[] {rows, nIn}, DataType.FLOAT)},
                new INDArray[] {Nd4j.create(y, new long[] {rows, nOut}, DataType.FLOAT)});
    }

    @Override
    public float[] predict(float[] x, int rows) {
        INDArray out = graph.outputSingle(false, Nd4j.create(x, new long[] {rows, nIn}, DataType.FLOAT));
        return out.dup('c').data().asFloat();
    }

    @Override
    public long numParams() {
        return graph.numParams();
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeInt(graph.getConfiguration().getIterationCount());
        out.writeInt(graph.getConfiguration().getEpochCount());
        Nd4j.write(graph.params(), out);
        INDArray updater = graph.getUpdater().getStateViewArray();
        out.writeBoolean(updater != null);
        if (updater != null) {
            Nd4j.write(updater, out);
        }
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        int iterations = in.readInt();
        int epochs = in.readInt();
        INDArray params = Nd4j.read(in);
        INDArray updater = in.readBoolean() ? Nd4j.read(in) : null;
        INDArray current = graph.getUpdater().getStateViewArray();
        long expected = current == null ? 0 : current.length();
        long saved = updater == null ? 0 : updater.length();
        if (params.length() != graph.numParams() || saved != expected) {
            throw new IOException("the saved state has " + params.length() + " parameters and " + saved
                    + " optimizer values; this network has " + graph.numParams() + " and " + expected);
        }
        graph.setParams(params);
        if (updater != null) {
            graph.getUpdater().setStateViewArray(updater);
        }
        graph.getConfiguration().setIterationCount(iterations);
        graph.getConfiguration().setEpochCount(epochs);
    }

    @Override
    public void close() {
        graph.close();
    }
}
