package io.churn.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves a dense stack's weights and biases between the fused engine and the DL4J graph
 * {@link Trainer#build} makes for the same run: DL4J holds each layer's weights as
 * {@code fanIn x fanOut}, the fused engine as {@code fanOut x fanIn}.
 */
final class Dl4jParameters {

    private Dl4jParameters() {
    }

    /** The name of layer {@code l} of {@code layers} in the graph. */
    static String layerName(int l, int layers) {
        return l == layers - 1 ? "output" : "dense_" + l;
    }

    static void copy(ComputationGraph from, DenseParameters to) {
        for (int l = 0; l < to.layers; l++) {
            String name = layerName(l, to.layers);
            float[][] w = from.getLayer(name).getParam("W").toFloatMatrix();
            int fin = to.fanIn[l];
            float[] weights = to.weights[l].write(to.weights[l].capacity())[0];
            for (int i = 0; i < fin; i++) {
                for (int j = 0; j < to.fanOut[l]; j++) {
                    weights[j * fin + i] = w[i][j];
                }
            }
            float[] b = from.getLayer(name).getParam("b").dup('c').data().asFloat();
            System.arraycopy(b, 0, to.biases[l], 0, to.fanOut[l]);
        }
    }

    static void copy(DenseParameters from, ComputationGraph to) {
        for (int l = 0; l < from.layers; l++) {
            String name = layerName(l, from.layers);
            int fin = from.fanIn[l];
            float[][] w = new float[fin][from.fanOut[l]];
            float[] weights = from.weights[l].read()[0];
            for (int i = 0; i < fin; i++) {
                for (int j = 0; j < from.fanOut[l]; j++) {
                    w[i][j] = weights[j * fin + i];
                }
            }
            to.getLayer(name).getParam("W").assign(Nd4j.create(w));
            to.getLayer(name).getParam("b").assign(Nd4j.create(from.biases[l], new long[] {1, from.fanOut[l]},
                    DataType.FLOAT));
        }
    }
}
