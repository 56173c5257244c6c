package io.churn.train;

import io.churn.network.Layout;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.RunSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A dense stack's trainable state for the fused engine: every layer's weights
 * ({@code fanOut x fanIn}, row-major, {@code [j * fanIn + i]}), biases, their gradients and the
 * optimizer's state, plus the step count; L1/L2 penalties are added to the gradients before the
 * optimizer steps, as DL4J does.
 */
final class DenseParameters implements AutoCloseable {

    final int layers;
    final int[] fanIn;
    final int[] fanOut;
    final SharedFloats[] weights;
    final float[][] biases;
    final SharedFloats[] gradWeights;
    final SharedFloats[] gradBiases;
    private final float[][] state1;    // Adam m, RMSprop mean square, Nesterov velocity (weights, then biases)
    private final float[][] state2;    // Adam v
    private final FusedOptimizer optimizer;
    private final KernelRegularizer kernel;
    private final KernelRegularizer bias;
    private int iteration;

    DenseParameters(RunSpec run, Layout layout) {
        this.layers = layout.widths().size();
        this.fanIn = new int[layers];
        this.fanOut = new int[layers];
        int inputs = layout.nIn();
        for (int l = 0; l < layers; l++) {
            fanIn[l] = inputs;
            fanOut[l] = layout.widths().get(l);
            inputs = fanOut[l];
        }
        this.weights = new SharedFloats[layers];
        this.biases = new float[layers][];
        this.gradWeights = new SharedFloats[layers];
        this.gradBiases = new SharedFloats[layers];
        this.state1 = new float[2 * layers][];
        this.state2 = new float[2 * layers][];
        for (int l = 0; l < layers; l++) {
            int n = fanIn[l] * fanOut[l];
            weights[l] = SharedFloats.single(n);
            biases[l] = new float[fanOut[l]];
            gradWeights[l] = SharedFloats.single(n);
            gradBiases[l] = SharedFloats.single(fanOut[l]);
            state1[2 * l] = new float[n];
            state1[2 * l + 1] = new float[fanOut[l]];
            state2[2 * l] = new float[n];
            state2[2 * l + 1] = new float[fanOut[l]];
        }
        this.optimizer = FusedOptimizer.of(run);
        for (float[] s : state1) optimizer.initialize(s);
        this.kernel = run.kernelRegularizer();
        this.bias = run.biasRegularizer();
    }

    /** Glorot-uniform weights (Keras' and DL4J's {@code XAVIER_UNIFORM}), zero biases, drawn from {@code seed}. */
    void initialize(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int l = 0; l < layers; l++) {
            double limit = Math.sqrt(6.0 / (fanIn[l] + fanOut[l]));
            float[] w = weights[l].write(weights[l].capacity())[0];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) ((random.nextDouble() * 2 - 1) * limit);
            }
        }
    }

    long count() {
        long n = 0;
        for (int l = 0; l < layers; l++) n += weights[l].capacity() + biases[l].length;
        return n;
    }

    /**
     * Weights step this many at a time: each chunk's gradient comes from the native block and its
     * weights go back to it while the chunk is in the L1 cache, not in passes of their own.
     */
    private static final int CHUNK = 1024;

    /** Optimizer steps taken, restored ones included. */
    int steps() {
        return iteration;
    }

    /** One optimizer step from the gradients the last backward pass left. */
    void update() {
        optimizer.beginStep(iteration);
        for (int l = 0; l < layers; l++) {
            int n = weights[l].capacity();
            float[] w = weights[l].openRows(n)[0];
            float[] gw = gradWeights[l].openRows(n)[0];
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                weights[l].pullRange(from, to);
                gradWeights[l].pullRange(from, to);
                regularize(w, gw, kernel, from, to);
                optimizer.update(w, gw, state1[2 * l], state2[2 * l], from, to);
                weights[l].pushRange(from, to);
            }
            gradWeights[l].closeRows(false);
            weights[l].closeRows(true);
            float[] gb = gradBiases[l].update(fanOut[l])[0];
            regularize(biases[l], gb, bias, 0, fanOut[l]);
            optimizer.update(biases[l], gb, state1[2 * l + 1], state2[2 * l + 1], 0, fanOut[l]);
        }
        iteration++;
    }

    private static void regularize(float[] param, float[] grad, KernelRegularizer reg, int from, int to) {
        float l1 = (float) reg.l1();
        float l2 = (float) reg.l2();
        if (l1 != 0f || l2 != 0f) {
            for (int k = from; k < to; k++) {
                grad[k] += l2 * param[k] + l1 * Math.signum(param[k]);
            }
        }
    }

    /** The arrays a checkpoint holds, in its order; marks the weights as changed on the Java side. */
    private List<float[][]> saved() {
        float[][] w = new float[layers][];
        for (int l = 0; l < layers; l++) w[l] = weights[l].update(weights[l].capacity())[0];
        return List.of(w, biases, state1, state2);
    }

    /** The step count, then every weight, bias and optimizer array, each with its length. */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(iteration);
        for (float[][] arrays : saved()) {
            for (float[] array : arrays) {
                out.writeInt(array.length);
                for (float v : array) out.writeFloat(v);
            }
        }
    }

    /** Reads what {@link #write} wrote; throws, changing nothing, when it does not fit these layers. */
    void read(DataInputStream in) throws IOException {
        int steps = in.readInt();
        List<float[][]> targets = saved();
        List<float[][]> read = new ArrayList<>();
        for (float[][] arrays : targets) {
            float[][] values = new float[arrays.length][];
            for (int k = 0; k < arrays.length; k++) {
                int length = in.readInt();
                if (length != arrays[k].length) {
                    throw new IOException("the saved state has an array of " + length + " values where this network has "
                            + arrays[k].length);
                }
                values[k] = new float[length];
                for (int i = 0; i < length; i++) values[k][i] = in.readFloat();
            }
            read.add(values);
        }
        for (int t = 0; t < targets.size(); t++) {
            for (int k = 0; k < targets.get(t).length; k++) {
                System.arraycopy(read.get(t)[k], 0, targets.get(t)[k], 0, targets.get(t)[k].length);
            }
        }
        iteration = steps;
    }

    @Override
    public void close() {
        for (int l = 0; l < layers; l++) {
            weights[l].close();
            gradWeights[l].close();
            gradBiases[l].close();
        }
    }
}
