package io.churn.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The DL4J engine: a {@link ComputationGraph} trained through ND4J (any size, residual shapes, GPUs). */
public final class Dl4jNetwork implements TrainableNetwork {

    private final ComputationGraph graph;
    private final int nIn;
    private final int nOut;

    public Dl4jNetwork(ComputationGraph graph, int nIn, int nOut) {
        this.graph = graph;
        this.nIn = nIn;
        this.nOut = nOut;
    }

    public ComputationGraph graph() {
        return graph;
    }

    @Override
    public void fit(float[] x, float[] y, int rows) {
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
    public void close() {
        graph.close();
    }
}
