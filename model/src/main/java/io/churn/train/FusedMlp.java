package io.churn.train;

import io.churn.data.Task;
import io.churn.network.Layout;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The fused engine: a dense network trained in plain Java, forward, backward and optimizer in
 * tight loops over flat float arrays that the JIT vectorizes, with no native call per operation.
 * Small networks spend most of DL4J's step time on per-operation overhead; here they spend it on
 * arithmetic. Activations are stored feature-major ({@code [unit][row]}), so the innermost loops run
 * over the minibatch's rows, long and contiguous even when layers are a few units wide. It computes what DL4J computes — the same losses and gradients (averaged over the
 * minibatch, L1/L2 added before the optimizer), Adam, SGD, Nesterov momentum and RMSprop with
 * DL4J's defaults — so both engines train the same run to the same losses within float tolerance.
 * Residual shapes stay on the DL4J engine.
 */
public final class FusedMlp implements TrainableNetwork {

    private static final double ADAM_BETA1 = 0.9;
    private static final double ADAM_BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-8;
    private static final double RMSPROP_DECAY = 0.95;
    private static final double RMSPROP_EPSILON = 1e-8;
    private static final float LEAKY_RELU_ALPHA = 0.01f;
    private static final float SELU_ALPHA = 1.6732632423543772f;
    private static final float SELU_LAMBDA = 1.0507009873554805f;
    /** Below this many inputs a layer's weight rows are too short to vectorize along; it takes dot products. */
    private static final int ROW_MAJOR_GRADIENT_MIN_INPUTS = 8;

    private final int layers;
    private final int[] fanIn;
    private final int[] fanOut;
    private final float[][] weights;   // layer l: fanOut x fanIn, [j * fanIn + i] (output-major, for contiguous dots)
    private final float[][] biases;
    private final float[][] gradWeights;
    private final float[][] gradBiases;
    private final float[][] state1;    // Adam m, RMSprop mean square, Nesterov velocity (weights, then biases)
    private final float[][] state2;    // Adam v
    private final Task task;
    private final ActivationFunction activation;
    private final Optimizer optimizer;
    private final double learningRate;
    private final double momentum;
    private final KernelRegularizer kernel;
    private final KernelRegularizer bias;
    private int iteration;
    private int capacity;
    private final float[] accumulator;  // one weight row's gradient
    private float[][][] rowMajor;        // layer inputs, [layer][row][input], for layers of ROW_MAJOR_GRADIENT_MIN_INPUTS+
    private float[][] input; // the batch's inputs, [input][row]
    private float[][][] z;   // pre-activations, [layer][unit][row]
    private float[][][] a;   // activations, [layer][unit][row]
    private float[][][] dz;  // loss gradients by pre-activation, [layer][unit][row]

    private FusedMlp(RunSpec run, Layout layout, Task task) {
        if (io.churn.network.Shape.isResidual(layout.shape())) {
            throw new IllegalArgumentException("the fused engine trains plain dense networks; "
                    + layout.shape() + " needs the dl4j engine");
        }
        this.layers = layout.widths().size();
        this.fanIn = new int[layers];
        this.fanOut = new int[layers];
        int inputs = layout.nIn();
        for (int l = 0; l < layers; l++) {
            fanIn[l] = inputs;
            fanOut[l] = layout.widths().get(l);
            inputs = fanOut[l];
        }
        this.weights = new float[layers][];
        this.biases = new float[layers][];
        this.gradWeights = new float[layers][];
        this.gradBiases = new float[layers][];
        this.state1 = new float[2 * layers][];
        this.state2 = new float[2 * layers][];
        for (int l = 0; l < layers; l++) {
            weights[l] = new float[fanIn[l] * fanOut[l]];
            biases[l] = new float[fanOut[l]];
            gradWeights[l] = new float[weights[l].length];
            gradBiases[l] = new float[fanOut[l]];
            state1[2 * l] = new float[weights[l].length];
            state1[2 * l + 1] = new float[fanOut[l]];
            state2[2 * l] = new float[weights[l].length];
            state2[2 * l + 1] = new float[fanOut[l]];
        }
        this.accumulator = new float[java.util.Arrays.stream(fanIn).max().orElse(0)];
        this.task = task;
        this.activation = run.activation();
        this.optimizer = run.optimizer();
        this.learningRate = run.learningRate();
        this.momentum = run.momentum();
        this.kernel = run.kernelRegularizer();
        this.bias = run.biasRegularizer();
        if (optimizer == Optimizer.RMSPROP) {
            // DL4J starts RMSprop's mean square at epsilon, not zero
            for (float[] s : state1) java.util.Arrays.fill(s, (float) RMSPROP_EPSILON);
        }
    }

    /** A network initialized as DL4J initializes one (Glorot uniform weights, zero biases), seeded by the run. */
    public static FusedMlp create(RunSpec run, Layout layout, Task task) {
        FusedMlp net = new FusedMlp(run, layout, task);
        SplittableRandom random = new SplittableRandom(run.seed());
        for (int l = 0; l < net.layers; l++) {
            double limit = Math.sqrt(6.0 / (net.fanIn[l] + net.fanOut[l]));
            float[] w = net.weights[l];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) ((random.nextDouble() * 2 - 1) * limit);
            }
        }
        return net;
    }

    /** A network starting from the parameters of a DL4J network of the same run (for comparing engines). */
    public static FusedMlp copyOf(RunSpec run, Layout layout, Task task, ComputationGraph graph) {
        FusedMlp net = new FusedMlp(run, layout, task);
        for (int l = 0; l < net.layers; l++) {
            String name = l == net.layers - 1 ? "output" : "dense_" + l;
            float[][] w = graph.getLayer(name).getParam("W").toFloatMatrix();
            for (int i = 0; i < net.fanIn[l]; i++) {
                for (int j = 0; j < net.fanOut[l]; j++) {
                    net.weights[l][j * net.fanIn[l] + i] = w[i][j];
                }
            }
            float[] b = graph.getLayer(name).getParam("b").dup('c').data().asFloat();
            System.arraycopy(b, 0, net.biases[l], 0, net.fanOut[l]);
        }
        return net;
    }

    /** Writes this network's parameters into a DL4J network of the same layout. */
    public void copyTo(ComputationGraph graph) {
        for (int l = 0; l < layers; l++) {
            String name = l == layers - 1 ? "output" : "dense_" + l;
            float[][] w = new float[fanIn[l]][fanOut[l]];
            for (int i = 0; i < fanIn[l]; i++) {
                for (int j = 0; j < fanOut[l]; j++) {
                    w[i][j] = weights[l][j * fanIn[l] + i];
                }
            }
            graph.getLayer(name).getParam("W").assign(org.nd4j.linalg.factory.Nd4j.create(w));
            graph.getLayer(name).getParam("b").assign(org.nd4j.linalg.factory.Nd4j.create(biases[l],
                    new long[] {1, fanOut[l]}, org.nd4j.linalg.api.buffer.DataType.FLOAT));
        }
    }

    @Override
    public long numParams() {
        long n = 0;
        for (int l = 0; l < layers; l++) n += weights[l].length + biases[l].length;
        return n;
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeInt(iteration);
        for (float[][] arrays : List.of(weights, biases, state1, state2)) {
            for (float[] array : arrays) {
                out.writeInt(array.length);
                for (float v : array) out.writeFloat(v);
            }
        }
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        int steps = in.readInt();
        List<float[][]> targets = List.of(weights, biases, state1, state2);
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
    public float[] predict(float[] x, int rows) {
        int nOut = fanOut[layers - 1];
        float[] out = new float[rows * nOut];
        int chunk = 1024;
        for (int start = 0; start < rows; start += chunk) {
            int n = Math.min(chunk, rows - start);
            forward(x, start, n);
            float[][] p = a[layers - 1];
            for (int j = 0; j < nOut; j++) {
                float[] pj = p[j];
                for (int r = 0; r < n; r++) {
                    out[(start + r) * nOut + j] = pj[r];
                }
            }
        }
        return out;
    }

    @Override
    public void fit(float[] x, float[] y, int rows) {
        forward(x, 0, rows);
        backward(x, y, rows);
        update();
        iteration++;
    }

    private void ensureCapacity(int rows) {
        if (rows <= capacity) return;
        capacity = rows;
        input = new float[fanIn[0]][rows];
        z = new float[layers][][];
        a = new float[layers][][];
        dz = new float[layers][][];
        for (int l = 0; l < layers; l++) {
            z[l] = new float[fanOut[l]][rows];
            a[l] = new float[fanOut[l]][rows];
            dz[l] = new float[fanOut[l]][rows];
        }
        rowMajor = new float[layers][][];
        for (int l = 0; l < layers; l++) {
            rowMajor[l] = fanIn[l] >= ROW_MAJOR_GRADIENT_MIN_INPUTS ? new float[rows][fanIn[l]] : null;
        }
    }

    /**
     * Forward pass over rows {@code first .. first + rows} of row-major {@code x}. Buffers hold one
     * array per unit, indexed by row: every inner loop reads and writes at the same index, which the
     * JIT vectorizes.
     */
    private void forward(float[] x, int first, int rows) {
        ensureCapacity(rows);
        int nIn = fanIn[0];
        for (int r = 0; r < rows; r++) {
            int xo = (first + r) * nIn;
            for (int i = 0; i < nIn; i++) {
                input[i][r] = x[xo + i];
            }
        }
        float[][] in = input;
        for (int l = 0; l < layers; l++) {
            int fin = fanIn[l];
            int out = fanOut[l];
            float[] w = weights[l];
            float[] b = biases[l];
            for (int j = 0; j < out; j++) {
                float[] zj = z[l][j];
                java.util.Arrays.fill(zj, 0, rows, b[j]);
                int wo = j * fin;
                int i = 0;
                for (; i + 3 < fin; i += 4) {
                    axpy4(w[wo + i], in[i], w[wo + i + 1], in[i + 1], w[wo + i + 2], in[i + 2], w[wo + i + 3],
                            in[i + 3], zj, rows);
                }
                for (; i < fin; i++) {
                    axpy(w[wo + i], in[i], zj, rows);
                }
            }
            if (l == layers - 1) {
                outputActivation(z[l], a[l], rows, out);
            } else {
                for (int j = 0; j < out; j++) {
                    hiddenActivation(z[l][j], a[l][j], rows);
                }
            }
            in = a[l];
        }
    }

    /** Backpropagation of a minibatch that {@link #forward} just ran on rows {@code 0 .. rows} of {@code x}. */
    private void backward(float[] x, float[] y, int rows) {
        int last = layers - 1;
        int nOut = fanOut[last];
        float scale = 1f / rows;
        for (int j = 0; j < nOut; j++) {
            float[] p = a[last][j];
            float[] d = dz[last][j];
            if (task == Task.REGRESSION) {
                // DL4J's MSE is the squared error averaged over outputs; sigmoid output
                float c = 2f / nOut * scale;
                for (int r = 0; r < rows; r++) {
                    d[r] = c * (p[r] - y[r * nOut + j]) * p[r] * (1f - p[r]);
                }
            } else {
                // softmax + cross-entropy and sigmoid + binary cross-entropy share this gradient
                for (int r = 0; r < rows; r++) {
                    d[r] = (p[r] - y[r * nOut + j]) * scale;
                }
            }
        }
        for (int l = last; l >= 0; l--) {
            int fin = fanIn[l];
            int out = fanOut[l];
            float[][] in = l == 0 ? input : a[l - 1];
            float[] gb = gradBiases[l];
            for (int j = 0; j < out; j++) {
                gb[j] = sum(dz[l][j], rows);
            }
            if (fin >= ROW_MAJOR_GRADIENT_MIN_INPUTS) {
                weightGradientByRows(dz[l], rowMajorInputs(l, x, rows), gradWeights[l], accumulator, fin, out, rows);
            } else {
                weightGradientByDots(dz[l], in, gradWeights[l], fin, out, rows);
            }
            if (l > 0) {
                float[] w = weights[l];
                float[][] d = dz[l];
                for (int i = 0; i < fin; i++) {
                    float[] pi = dz[l - 1][i];
                    java.util.Arrays.fill(pi, 0, rows, 0f);
                    int j = 0;
                    for (; j + 3 < out; j += 4) {
                        axpy4(w[j * fin + i], d[j], w[(j + 1) * fin + i], d[j + 1], w[(j + 2) * fin + i], d[j + 2],
                                w[(j + 3) * fin + i], d[j + 3], pi, rows);
                    }
                    for (; j < out; j++) {
                        axpy(w[j * fin + i], d[j], pi, rows);
                    }
                    multiplyByDerivative(pi, z[l - 1][i], a[l - 1][i], rows);
                }
            }
        }
    }

    /**
     * {@code gw = dz · inputs^T} as a sum of one outer product per row, over row-major inputs: the
     * inner loop runs along a weight row and vectorizes, where a dot product per weight (a float
     * reduction) does not. Each row is its own array so that C2 vectorizes it as it does {@link #axpy4}.
     */
    private static void weightGradientByRows(float[][] dz, float[][] rowMajor, float[] gw, float[] accumulator,
                                             int fin, int out, int rows) {
        for (int j = 0; j < out; j++) {
            float[] dj = dz[j];
            java.util.Arrays.fill(accumulator, 0, fin, 0f);
            int r = 0;
            for (; r + 3 < rows; r += 4) {
                axpy4(dj[r], rowMajor[r], dj[r + 1], rowMajor[r + 1], dj[r + 2], rowMajor[r + 2], dj[r + 3],
                        rowMajor[r + 3], accumulator, fin);
            }
            for (; r < rows; r++) {
                axpy(dj[r], rowMajor[r], accumulator, fin);
            }
            System.arraycopy(accumulator, 0, gw, j * fin, fin);
        }
    }

    /** {@code gw = dz · inputs^T} one dot product per weight: for layers too narrow for {@link #weightGradientByRows}. */
    private static void weightGradientByDots(float[][] dz, float[][] in, float[] gw, int fin, int out, int rows) {
        for (int j = 0; j < out; j++) {
            float[] dj = dz[j];
            int wo = j * fin;
            for (int i = 0; i < fin; i++) {
                gw[wo + i] = dot(dj, in[i], rows);
            }
        }
    }

    /** A row-major copy of layer {@code l}'s inputs: the minibatch's rows for the first layer. */
    private float[][] rowMajorInputs(int l, float[] x, int rows) {
        int fin = fanIn[l];
        float[][] t = rowMajor[l];
        if (l == 0) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, r * fin, t[r], 0, fin);
            }
        } else {
            float[][] in = a[l - 1];
            for (int i = 0; i < fin; i++) {
                float[] u = in[i];
                for (int r = 0; r < rows; r++) {
                    t[r][i] = u[r];
                }
            }
        }
        return t;
    }

    /** {@code target += alpha * source} over the first {@code n} entries. */
    private static void axpy(float alpha, float[] source, float[] target, int n) {
        for (int r = 0; r < n; r++) {
            target[r] += alpha * source[r];
        }
    }

    /** {@code target += a0 s0 + a1 s1 + a2 s2 + a3 s3}: one load and store of the target for four sources. */
    private static void axpy4(float a0, float[] s0, float a1, float[] s1, float a2, float[] s2, float a3, float[] s3,
                              float[] target, int n) {
        for (int r = 0; r < n; r++) {
            target[r] += a0 * s0[r] + a1 * s1[r] + a2 * s2[r] + a3 * s3[r];
        }
    }

    /**
     * Reductions keep four partial sums: a single running sum waits on the previous addition at
     * every step, and C2 does not vectorize float reductions.
     */
    private static float dot(float[] u, float[] v, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += u[k] * v[k];
            s1 += u[k + 1] * v[k + 1];
            s2 += u[k + 2] * v[k + 2];
            s3 += u[k + 3] * v[k + 3];
        }
        for (; k < n; k++) s0 += u[k] * v[k];
        return (s0 + s1) + (s2 + s3);
    }

    private static float sum(float[] u, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += u[k];
            s1 += u[k + 1];
            s2 += u[k + 2];
            s3 += u[k + 3];
        }
        for (; k < n; k++) s0 += u[k];
        return (s0 + s1) + (s2 + s3);
    }

    private void update() {
        double alpha = learningRate;
        if (optimizer == Optimizer.ADAM) {
            double beta1t = Math.pow(ADAM_BETA1, iteration + 1);
            double beta2t = Math.pow(ADAM_BETA2, iteration + 1);
            alpha = learningRate * Math.sqrt(1 - beta2t) / (1 - beta1t);
        }
        for (int l = 0; l < layers; l++) {
            step(weights[l], gradWeights[l], state1[2 * l], state2[2 * l], kernel, alpha);
            step(biases[l], gradBiases[l], state1[2 * l + 1], state2[2 * l + 1], bias, alpha);
        }
    }

    private void step(float[] param, float[] grad, float[] s1, float[] s2, KernelRegularizer reg, double alpha) {
        float l1 = (float) reg.l1();
        float l2 = (float) reg.l2();
        if (l1 != 0f || l2 != 0f) {
            for (int k = 0; k < param.length; k++) {
                grad[k] += l2 * param[k] + l1 * Math.signum(param[k]);
            }
        }
        switch (optimizer) {
            case ADAM -> {
                float b1 = (float) ADAM_BETA1;
                float b2 = (float) ADAM_BETA2;
                float at = (float) alpha;
                float eps = (float) ADAM_EPSILON;
                for (int k = 0; k < param.length; k++) {
                    float g = grad[k];
                    s1[k] = b1 * s1[k] + (1f - b1) * g;
                    s2[k] = b2 * s2[k] + (1f - b2) * g * g;
                    param[k] -= at * s1[k] / ((float) Math.sqrt(s2[k]) + eps);
                }
            }
            case RMSPROP -> {
                float decay = (float) RMSPROP_DECAY;
                float lr = (float) learningRate;
                float eps = (float) RMSPROP_EPSILON;
                for (int k = 0; k < param.length; k++) {
                    float g = grad[k];
                    s1[k] = decay * s1[k] + (1f - decay) * g * g;
                    param[k] -= lr * g / ((float) Math.sqrt(s1[k]) + eps);
                }
            }
            default -> {
                float lr = (float) learningRate;
                if (momentum > 0) {
                    // DL4J's Nesterov update: v' = mu v - lr g; step = mu v - (1 + mu) v'
                    float mu = (float) momentum;
                    for (int k = 0; k < param.length; k++) {
                        float previous = s1[k];
                        s1[k] = mu * previous - lr * grad[k];
                        param[k] -= mu * previous - (1f + mu) * s1[k];
                    }
                } else {
                    for (int k = 0; k < param.length; k++) {
                        param[k] -= lr * grad[k];
                    }
                }
            }
        }
    }

    private void outputActivation(float[][] zl, float[][] al, int rows, int out) {
        if (task == Task.MULTICLASS) {
            for (int r = 0; r < rows; r++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < out; j++) max = Math.max(max, zl[j][r]);
                float sum = 0f;
                for (int j = 0; j < out; j++) {
                    float e = (float) Math.exp(zl[j][r] - max);
                    al[j][r] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                for (int j = 0; j < out; j++) al[j][r] *= inv;
            }
        } else {
            for (int j = 0; j < out; j++) {
                for (int r = 0; r < rows; r++) {
                    al[j][r] = sigmoid(zl[j][r]);
                }
            }
        }
    }

    private void hiddenActivation(float[] zl, float[] al, int n) {
        switch (activation) {
            case RELU -> {
                for (int k = 0; k < n; k++) al[k] = Math.max(0f, zl[k]);
            }
            case LEAKY_RELU -> {
                for (int k = 0; k < n; k++) al[k] = zl[k] > 0f ? zl[k] : LEAKY_RELU_ALPHA * zl[k];
            }
            case ELU -> {
                for (int k = 0; k < n; k++) al[k] = zl[k] > 0f ? zl[k] : (float) Math.expm1(zl[k]);
            }
            case SELU -> {
                for (int k = 0; k < n; k++) {
                    al[k] = SELU_LAMBDA * (zl[k] > 0f ? zl[k] : SELU_ALPHA * (float) Math.expm1(zl[k]));
                }
            }
            case TANH -> {
                for (int k = 0; k < n; k++) al[k] = (float) Math.tanh(zl[k]);
            }
            case SIGMOID -> {
                for (int k = 0; k < n; k++) al[k] = sigmoid(zl[k]);
            }
            case SWISH -> {
                for (int k = 0; k < n; k++) al[k] = zl[k] * sigmoid(zl[k]);
            }
        }
    }

    /** {@code g *= f'(z)} for the hidden activation f, with {@code a = f(z)}; one loop per activation. */
    private void multiplyByDerivative(float[] g, float[] zv, float[] av, int n) {
        switch (activation) {
            case RELU -> {
                // without a branch: a = max(0, z) has all bits zero exactly where z <= 0, and
                // (bits | -bits) >> 31 turns that into an all-zero mask, else all ones
                for (int k = 0; k < n; k++) {
                    int bits = Float.floatToRawIntBits(av[k]);
                    g[k] = Float.intBitsToFloat(Float.floatToRawIntBits(g[k]) & ((bits | -bits) >> 31));
                }
            }
            case LEAKY_RELU -> {
                for (int k = 0; k < n; k++) g[k] = zv[k] > 0f ? g[k] : g[k] * LEAKY_RELU_ALPHA;
            }
            case ELU -> {
                for (int k = 0; k < n; k++) g[k] *= zv[k] > 0f ? 1f : av[k] + 1f;
            }
            case SELU -> {
                for (int k = 0; k < n; k++) g[k] *= zv[k] > 0f ? SELU_LAMBDA : av[k] + SELU_LAMBDA * SELU_ALPHA;
            }
            case TANH -> {
                for (int k = 0; k < n; k++) g[k] *= 1f - av[k] * av[k];
            }
            case SIGMOID -> {
                for (int k = 0; k < n; k++) g[k] *= av[k] * (1f - av[k]);
            }
            case SWISH -> {
                for (int k = 0; k < n; k++) {
                    float sg = sigmoid(zv[k]);
                    g[k] *= sg + zv[k] * sg * (1f - sg);
                }
            }
        }
    }

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    @Override
    public void close() {
        // plain Java arrays: nothing native to release
    }
}
