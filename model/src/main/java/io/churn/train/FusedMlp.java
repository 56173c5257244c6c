package io.churn.train;

import io.churn.data.Task;
import io.churn.network.Layout;
import io.churn.network.Shape;
import io.churn.spec.RunSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The fused engine: a dense network, residual or not, trained in Java with no per-operation
 * overhead. Forward pass, backpropagation and optimizer run over flat float arrays;
 * activations are feature-major ({@code [unit][row]}), so element-wise loops run over the
 * minibatch's rows, long and contiguous even when layers are a few units wide. Each layer's matrix
 * products run either in JVM loops or in OpenBLAS, whichever {@link ProductKernels} picks for its
 * shape. A network with wide layers runs sample-major instead ({@code [row][unit]}, every layer in
 * OpenBLAS, {@link SampleMajorBlasProducts}): there the products take almost all of a step, and
 * OpenBLAS runs them faster in that layout; only the output layer's few units go feature-major for
 * the loss, by a transpose of {@code outputs x rows} values. It computes what DL4J computes for the graph {@link Trainer#build} makes — the same
 * losses and gradients (averaged over the minibatch, L1/L2 added before the optimizer), identity
 * skip connections added after the activation, Adam, SGD, Nesterov momentum and RMSprop with
 * DL4J's defaults — so both engines train the same run to the same losses within float tolerance.
 * Dropout, where the run has it, drops each hidden layer's outputs (after the skip) as DL4J drops
 * the next layer's inputs, with masks drawn from the run's seed and the step count, so a run
 * resumed from a checkpoint draws the masks it would have drawn.
 */
public final class FusedMlp implements TrainableNetwork {

    /** Predictions run in chunks of this many rows, so buffers stay minibatch-sized. */
    private static final int PREDICT_ROWS = 1024;

    private final DenseParameters params;
    private final int layers;
    private final int[] fanIn;
    private final int[] fanOut;
    private final boolean[] skip;       // layer l adds its input to its activated output
    private final LayerProducts[] products;
    private final FusedActivation activation;
    private final FusedOutput output;
    private final boolean sampleMajor;
    private final DropoutMasks draw;    // the run's dropout masks; null without dropout
    private boolean dropping;           // the last forward pass dropped: backward applies its masks
    private int capacity;
    private SharedFloats ones;          // a row of ones, for the bias gradients
    private SharedFloats input;         // the minibatch's inputs, [input][row]
    private SharedFloats[] z;           // pre-activations
    private SharedFloats[] a;           // activations f(z)
    private SharedFloats[] out;         // layer outputs: a, plus the input where the layer skips
    private SharedFloats[] dz;          // loss gradients by pre-activation
    private SharedFloats[] dOut;        // loss gradients by layer output: dz's array where the layer does not skip
    private SharedFloats[] dropped;     // training with dropout: layer outputs times their masks, the next layer's input
    private float[][][] masks;          // training with dropout: 0 for a dropped output, 1 / (1 - dropout) for a kept one
    private float[][] outputZ;          // sample-major networks: the output layer's z, feature-major
    private float[][] outputDz;         // sample-major networks: the loss gradient, feature-major

    private FusedMlp(RunSpec run, Layout layout, Task task, ProductKernels kernels) {
        this.params = new DenseParameters(run, layout);
        this.layers = params.layers;
        this.fanIn = params.fanIn;
        this.fanOut = params.fanOut;
        this.skip = new boolean[layers];
        boolean residual = Shape.isResidual(layout.shape());
        for (int l = 1; l < layers - 1; l++) {
            // as Trainer.build wires it: hidden layers after the first whose width equals their input's
            skip[l] = residual && fanIn[l] == fanOut[l];
        }
        this.sampleMajor = kernels.sampleMajor(fanOut, run.batchSize());
        this.products = new LayerProducts[layers];
        for (int l = 0; l < layers; l++) {
            products[l] = kernels.products(fanIn[l], fanOut[l], run.batchSize(), sampleMajor);
        }
        this.activation = FusedActivation.of(run.activation());
        this.output = FusedOutput.of(task);
        this.draw = run.dropout() > 0 ? new DropoutMasks((float) run.dropout(), run.seed() ^ 0x6A09E667F3BCC909L)
                : null;
    }

    /** A network initialized as DL4J initializes one (Glorot uniform weights, zero biases), seeded by the run. */
    public static FusedMlp create(RunSpec run, Layout layout, Task task) {
        return create(run, layout, task, ProductKernels.BY_SHAPE);
    }

    /** {@link #create(RunSpec, Layout, Task)} with the products of every layer on {@code kernels}. */
    public static FusedMlp create(RunSpec run, Layout layout, Task task, ProductKernels kernels) {
        FusedMlp net = new FusedMlp(run, layout, task, kernels);
        net.params.initialize(run.seed());
        return net;
    }

    /** A network starting from the parameters of a DL4J network of the same run (for comparing engines). */
    public static FusedMlp copyOf(RunSpec run, Layout layout, Task task, ComputationGraph graph) {
        return copyOf(run, layout, task, graph, ProductKernels.BY_SHAPE);
    }

    /** {@link #copyOf(RunSpec, Layout, Task, ComputationGraph)} with the products of every layer on {@code kernels}. */
    public static FusedMlp copyOf(RunSpec run, Layout layout, Task task, ComputationGraph graph,
                                  ProductKernels kernels) {
        FusedMlp net = new FusedMlp(run, layout, task, kernels);
        Dl4jParameters.copy(graph, net.params);
        return net;
    }

    /** Writes this network's parameters into a DL4J network of the same layout. */
    public void copyTo(ComputationGraph graph) {
        Dl4jParameters.copy(params, graph);
    }

    @Override
    public long numParams() {
        return params.count();
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        params.write(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        params.read(in);
    }

    @Override
    public float[] predict(float[] x, int rows) {
        int nOut = fanOut[layers - 1];
        float[] result = new float[rows * nOut];
        for (int start = 0; start < rows; start += PREDICT_ROWS) {
            int n = Math.min(PREDICT_ROWS, rows - start);
            forward(x, start, n, false);
            float[][] p = a[layers - 1].read();
            for (int j = 0; j < nOut; j++) {
                float[] pj = p[j];
                for (int r = 0; r < n; r++) {
                    result[(start + r) * nOut + j] = pj[r];
                }
            }
        }
        return result;
    }

    @Override
    public void fit(float[] x, float[] y, int rows) {
        forward(x, 0, rows, true);
        backward(y, rows);
        params.update();
    }

    /** Forward pass over rows {@code first .. first + rows} of row-major {@code x}; dropout only in {@code training}. */
    private void forward(float[] x, int first, int rows, boolean training) {
        ensureCapacity(rows);
        dropping = training && draw != null;
        if (dropping) draw.start(params.steps());
        int nIn = fanIn[0];
        if (sampleMajor) {
            useRows(rows);
            float[][] in = input.write(nIn);
            for (int r = 0; r < rows; r++) System.arraycopy(x, (first + r) * nIn, in[r], 0, nIn);
        } else {
            float[][] in = input.write(rows);
            for (int r = 0; r < rows; r++) {
                int xo = (first + r) * nIn;
                for (int i = 0; i < nIn; i++) {
                    in[i][r] = x[xo + i];
                }
            }
        }
        for (int l = 0; l < layers; l++) {
            products[l].forward(params.weights[l], params.biases[l], layerInput(l), z[l], rows);
            float[][] zl = z[l].read();
            if (l == layers - 1) {
                output.activate(sampleMajor ? transpose(zl, outputZ, rows, fanOut[l]) : zl, a[l].write(rows),
                        fanOut[l], rows);
                continue;
            }
            // Java rows: units feature-major, examples sample-major; each goes to the native block,
            // where the next layer's products read it, while in cache
            int count = sampleMajor ? rows : fanOut[l];
            int length = sampleMajor ? fanOut[l] : rows;
            float[][] al = a[l].openRowsToWrite(length);
            float[][] previous = skip[l] ? out[l - 1].read() : null;
            float[][] o = skip[l] ? out[l].openRowsToWrite(length) : null;
            float[][] d = dropping ? dropped[l].openRowsToWrite(length) : null;
            for (int j = 0; j < count; j++) {
                activation.apply(zl[j], al[j], length);
                a[l].pushRow(j);
                if (skip[l]) {
                    add(al[j], previous[j], o[j], length);
                    out[l].pushRow(j);
                }
                if (dropping) {
                    float[] mask = masks[l][j];
                    draw.fill(mask, length);
                    multiply(skip[l] ? o[j] : al[j], mask, d[j], length);
                    dropped[l].pushRow(j);
                }
            }
            a[l].closeRows(true);
            if (skip[l]) out[l].closeRows(true);
            if (dropping) dropped[l].closeRows(true);
        }
    }

    /** What layer {@code l}'s products read: the network's input, else the previous layer's output, dropped in training. */
    private SharedFloats layerInput(int l) {
        if (l == 0) return input;
        return dropping ? dropped[l - 1] : out[l - 1];
    }

    /** Backpropagation of the minibatch {@link #forward} just ran, with row-major targets {@code y}. */
    private void backward(float[] y, int rows) {
        int last = layers - 1;
        if (sampleMajor) {
            output.lossGradient(a[last].read(), y, outputDz, fanOut[last], rows);
            transpose(outputDz, dz[last].write(fanOut[last]), fanOut[last], rows);
        } else {
            output.lossGradient(a[last].read(), y, dz[last].write(rows), fanOut[last], rows);
        }
        for (int l = last; l >= 0; l--) {
            products[l].weightGradient(dz[l], layerInput(l), params.gradWeights[l], rows);
            products[l].biasGradient(dz[l], ones, params.gradBiases[l], rows);
            if (l == 0) {
                break;
            }
            products[l].inputGradient(params.weights[l], dz[l], dOut[l - 1], rows);
            // one pass over each row: back from the native block, skip, derivative, out to the native block
            SharedFloats gs = dOut[l - 1];
            SharedFloats gzs = dz[l - 1];
            int count = sampleMajor ? rows : fanIn[l];
            int length = sampleMajor ? fanIn[l] : rows;
            gs.openRows(length);
            float[][] gz = gs == gzs ? null : gzs.openRowsToWrite(length);
            float[][] skipped = skip[l] ? dOut[l].read() : null;
            float[][] zPrevious = z[l - 1].read();
            float[][] aPrevious = a[l - 1].read();
            for (int i = 0; i < count; i++) {
                float[] g = gs.pullRow(i);
                if (dropping) {
                    // the product's input was the output times its mask: so is the gradient by it
                    multiply(g, masks[l - 1][i], g, length);
                }
                if (skip[l]) {
                    // the skip passes the output's gradient on to the input unchanged
                    add(g, skipped[i], g, length);
                }
                float[] gzi = g;
                if (gz != null) {
                    // the layer's own gradient by output stays for its skip; dz gets a copy
                    gzi = gz[i];
                    System.arraycopy(g, 0, gzi, 0, length);
                }
                activation.multiplyByDerivative(gzi, zPrevious[i], aPrevious[i], length);
                gzs.pushRow(i);
            }
            if (gz != null) gs.closeRows(false);
            gzs.closeRows(true);
        }
    }

    /** {@code to[c][r] = from[r][c]} for the first {@code rows x columns} values of {@code from}; returns {@code to}. */
    private static float[][] transpose(float[][] from, float[][] to, int rows, int columns) {
        for (int r = 0; r < rows; r++) {
            float[] fr = from[r];
            for (int c = 0; c < columns; c++) to[c][r] = fr[c];
        }
        return to;
    }

    /** The sample-major matrices hold the minibatch's {@code rows} examples. */
    private void useRows(int rows) {
        input.useRows(rows);
        for (int l = 0; l < layers; l++) {
            z[l].useRows(rows);
            dz[l].useRows(rows);
            if (l < layers - 1) {
                a[l].useRows(rows);
                if (skip[l]) {
                    out[l].useRows(rows);
                    dOut[l].useRows(rows);
                }
                if (draw != null) dropped[l].useRows(rows);
            }
        }
    }

    /** {@code product = u * v}, element by element, over the first {@code n} values. */
    private static void multiply(float[] u, float[] v, float[] product, int n) {
        for (int k = 0; k < n; k++) product[k] = u[k] * v[k];
    }

    /**
     * Dropout masks, a step's drawn from the run's seed and the step's number (SplitMix64): each
     * value is dropped with probability {@code rate}, a kept one scaled by {@code 1 / (1 - rate)}
     * (inverted dropout, as DL4J and Keras do it), so predictions need no scaling.
     */
    private static final class DropoutMasks {
        private final long seed;
        private final long threshold;   // 32 random bits below this drop the value
        private final float kept;
        private long state;

        DropoutMasks(float rate, long seed) {
            this.seed = seed;
            this.threshold = (long) Math.ceil(rate * 4294967296.0);
            this.kept = 1f / (1f - rate);
        }

        /** The masks of step {@code step} follow. */
        void start(int step) {
            state = seed + 0x9E3779B97F4A7C15L * (step + 1L);
        }

        void fill(float[] mask, int n) {
            int k = 0;
            for (; k + 1 < n; k += 2) {
                long bits = next();
                mask[k] = (bits & 0xFFFFFFFFL) < threshold ? 0f : kept;
                mask[k + 1] = (bits >>> 32) < threshold ? 0f : kept;
            }
            if (k < n) mask[k] = (next() & 0xFFFFFFFFL) < threshold ? 0f : kept;
        }

        private long next() {
            long z = state += 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    /** {@code sum = u + v} over the first {@code n} values. */
    private static void add(float[] u, float[] v, float[] sum, int n) {
        for (int k = 0; k < n; k++) sum[k] = u[k] + v[k];
    }

    private void ensureCapacity(int rows) {
        if (rows <= capacity) return;
        closeBuffers();
        capacity = rows;
        ones = SharedFloats.single(rows);
        Arrays.fill(ones.write(rows)[0], 1f);
        input = matrix(fanIn[0], rows);
        z = new SharedFloats[layers];
        a = new SharedFloats[layers];
        out = new SharedFloats[layers];
        dz = new SharedFloats[layers];
        dOut = new SharedFloats[layers];
        for (int l = 0; l < layers; l++) {
            z[l] = matrix(fanOut[l], rows);
            // the output layer's activations stay feature-major, for the loss and the predictions
            a[l] = l == layers - 1 ? new SharedFloats(fanOut[l], rows) : matrix(fanOut[l], rows);
            out[l] = skip[l] ? matrix(fanOut[l], rows) : a[l];
            dz[l] = matrix(fanOut[l], rows);
            dOut[l] = skip[l] ? matrix(fanOut[l], rows) : dz[l];
        }
        if (draw != null) {
            dropped = new SharedFloats[layers - 1];
            masks = new float[layers - 1][][];
            for (int l = 0; l < layers - 1; l++) {
                dropped[l] = matrix(fanOut[l], rows);
                masks[l] = sampleMajor ? new float[rows][fanOut[l]] : new float[fanOut[l]][rows];
            }
        }
        if (sampleMajor) {
            outputZ = new float[fanOut[layers - 1]][rows];
            outputDz = new float[fanOut[layers - 1]][rows];
        }
    }

    /** A {@code units x rows} matrix, held as {@code rows x units} in a sample-major network. */
    private SharedFloats matrix(int units, int rows) {
        return sampleMajor ? new SharedFloats(rows, units) : new SharedFloats(units, rows);
    }

    private void closeBuffers() {
        if (capacity == 0) return;
        ones.close();
        input.close();
        for (int l = 0; l < layers; l++) {
            z[l].close();
            a[l].close();
            dz[l].close();
            if (skip[l]) {
                out[l].close();
                dOut[l].close();
            }
            if (draw != null && l < layers - 1) dropped[l].close();
        }
    }

    /** Frees the native copies of parameters and activations. */
    @Override
    public void close() {
        closeBuffers();
        capacity = 0;
        params.close();
    }
}
