package io.churn.train;

import io.churn.data.DataSource;
import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.data.Task;
import io.churn.data.TrainTestSplit;
import io.churn.network.Layout;
import io.churn.network.LayoutSolver;
import io.churn.network.Shape;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.RunSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Trains one run with a DL4J {@code ComputationGraph}, measuring every epoch. */
public final class Trainer {

    private Trainer() {
    }

    /** The layout a run trains: its shape sized to its budget for the dataset's inputs and outputs. */
    public static Layout layout(RunSpec run, PreparedDataset data) {
        return LayoutSolver.solve(run.shape(), run.depth(), run.size(), data.nIn(), data.nOut());
    }

    /**
     * Runs one training run on {@code engine}, reading dataset files through {@code source}. Never
     * throws for a problem of the run: that becomes a failed result.
     */
    public static RunResult run(RunSpec run, DataSource source, Engine engine) {
        return run(run, source, engine, EpochListener.NONE);
    }

    /** {@link #run(RunSpec, DataSource, Engine)}, telling {@code listener} of its start, every epoch and its end. */
    public static RunResult run(RunSpec run, DataSource source, Engine engine, EpochListener listener) {
        Instant started = Instant.now();
        PreparedDataset data = null;
        Layout layout = null;
        Engine used = null;
        List<EpochMetrics> history = new ArrayList<>();
        try {
            data = Datasets.load(run.dataset(), source);
            layout = layout(run, data);
            TrainTestSplit split = TrainTestSplit.of(data, run.testSplit(), run.labelNoise(), run.seed());
            used = engine.resolve(layout);
            try (TrainableNetwork net = used == Engine.FUSED ? FusedMlp.create(run, layout, data.task())
                    : new Dl4jNetwork(build(run, layout, data.task()), data.nIn(), data.nOut())) {
                listener.started(run, layout, used);
                train(run, net, split, history, listener);
            }
            return result(run, RunStatus.COMPLETE, null, data, layout, used, history, started);
        } catch (Exception e) {
            return result(run, RunStatus.FAILED, describe(e), data, layout, used, history, started);
        } finally {
            listener.ended(run);
        }
    }

    private static RunResult result(RunSpec run, RunStatus status, String error, PreparedDataset data,
                                    Layout layout, Engine engine, List<EpochMetrics> history, Instant started) {
        return new RunResult(run, status, error,
                data == null ? null : data.task().specName(),
                data == null ? null : data.nIn(),
                data == null ? null : data.nOut(),
                layout == null ? null : layout.widths(),
                layout == null ? null : layout.numFreeParameters(),
                engine == null ? null : engine.specName(),
                history, Provenance.CURRENT, started, Instant.now());
    }

    /**
     * The run's network as a DL4J graph: dense layers of the layout's widths. In a residual shape
     * every hidden layer after the first whose width equals its input's adds that input to its
     * activated output (identity skip, no parameters), as BUTTER built them.
     */
    public static ComputationGraph build(RunSpec run, Layout layout, Task task) {
        KernelRegularizer reg = run.kernelRegularizer();
        KernelRegularizer bias = run.biasRegularizer();
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(run.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(run))
                .weightInit(WeightInit.XAVIER_UNIFORM) // Keras' glorot_uniform, as in BUTTER
                .l1(reg.l1())
                .l2(reg.l2())
                .l1Bias(bias.l1())
                .l2Bias(bias.l2())
                .graphBuilder()
                .addInputs("input");
        List<Integer> widths = layout.widths();
        boolean residual = Shape.isResidual(layout.shape());
        Activation hidden = activation(run.activation());
        String previous = "input";
        int inputs = layout.nIn();
        for (int i = 0; i < widths.size() - 1; i++) {
            String dense = "dense_" + i;
            graph.addLayer(dense, new DenseLayer.Builder().nIn(inputs).nOut(widths.get(i)).activation(hidden).build(),
                    previous);
            String out = dense;
            if (residual && i >= 1 && inputs == widths.get(i)) {
                out = "residual_" + i;
                graph.addVertex(out, new ElementWiseVertex(ElementWiseVertex.Op.Add), dense, previous);
            }
            previous = out;
            inputs = widths.get(i);
        }
        LossFunction loss;
        Activation output;
        if (task == Task.MULTICLASS) {
            loss = LossFunction.MCXENT;
            output = Activation.SOFTMAX;
        } else if (task == Task.BINARY) {
            loss = LossFunction.XENT;
            output = Activation.SIGMOID;
        } else {
            loss = LossFunction.MSE;
            output = Activation.SIGMOID;
        }
        graph.addLayer("output", new OutputLayer.Builder(loss).nIn(inputs).nOut(layout.nOut()).activation(output)
                .build(), previous);
        graph.setOutputs("output");
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        return net;
    }

    private static Activation activation(ActivationFunction f) {
        switch (f) {
            case ELU: return Activation.ELU;
            case SELU: return Activation.SELU;
            case LEAKY_RELU: return Activation.LEAKYRELU;
            case TANH: return Activation.TANH;
            case SIGMOID: return Activation.SIGMOID;
            case SWISH: return Activation.SWISH;
            default: return Activation.RELU;
        }
    }

    private static IUpdater updater(RunSpec run) {
        switch (run.optimizer()) {
            case SGD:
                return run.momentum() > 0 ? new Nesterovs(run.learningRate(), run.momentum()) : new Sgd(run.learningRate());
            case RMSPROP:
                return new RmsProp(run.learningRate());
            default:
                return new Adam(run.learningRate());
        }
    }

    private static void train(RunSpec run, TrainableNetwork net, TrainTestSplit split, List<EpochMetrics> history,
                              EpochListener listener) {
        EpochLoop loop = new EpochLoop(run, net, split, run.seed() ^ 0x5DEECE66DL);
        double bestTestLoss = Double.POSITIVE_INFINITY;
        int epochsSinceBest = 0;
        for (int epoch = 0; epoch < run.epochs(); epoch++) {
            EpochMetrics m = loop.next();
            history.add(m);
            listener.epoch(run, history.size(), m);
            if (m.testLoss() < bestTestLoss) {
                bestTestLoss = m.testLoss();
                epochsSinceBest = 0;
            } else if (run.earlyStoppingPatience() > 0 && ++epochsSinceBest >= run.earlyStoppingPatience()) {
                break;
            }
        }
    }

    /** A failure as stored with a result: its stack trace, cut to the first 4000 characters. */
    public static String describe(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String text = trace.toString();
        // the head of the trace says what and where; keep rows small
        return text.length() > 4000 ? text.substring(0, 4000) + "\n..." : text;
    }
}
