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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one run on the engine a {@link NetworkFactory} gives it, measuring every epoch: a sweep's
 * run from scratch or from its own checkpoint, a PBT member's generation from the state it
 * inherits ({@link #continueFrom}); and builds a run's DL4J graph.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private Trainer() {
    }

    /** The layout a run trains: its shape sized to its budget for the dataset's inputs and outputs. */
    public static Layout layout(RunSpec run, PreparedDataset data) {
        return LayoutSolver.solve(run.shape(), run.depth(), run.size(), data.nIn(), data.nOut());
    }

    /**
     * Runs one training run on the networks {@code networks} makes (an {@link Engine}, say), reading
     * dataset files through {@code source}. Never throws for a problem of the run: that becomes a
     * failed result. A dataset that cannot be read (or a disk that fails) is no problem of the run:
     * it throws {@link UncheckedIOException}, so the caller's task fails and is retried.
     */
    public static RunResult run(RunSpec run, DataSource source, NetworkFactory networks) {
        return run(run, source, networks, Checkpointing.NONE, EpochListener.NONE);
    }

    /** {@link #run(RunSpec, DataSource, NetworkFactory)}, telling {@code listener} of its start, every epoch and its end. */
    public static RunResult run(RunSpec run, DataSource source, NetworkFactory networks, EpochListener listener) {
        return run(run, source, networks, Checkpointing.NONE, listener);
    }

    /** {@link #run(RunSpec, DataSource, NetworkFactory, Checkpointing, EpochListener)} with nobody listening. */
    public static RunResult run(RunSpec run, DataSource source, NetworkFactory networks, Checkpointing checkpoints) {
        return run(run, source, networks, checkpoints, EpochListener.NONE);
    }

    /**
     * Like {@link #run(RunSpec, DataSource, NetworkFactory)}, saving a checkpoint every
     * {@code checkpoints.everyEpochs()} epochs, and resuming from the run's last checkpoint when
     * there is one (one that cannot be read is skipped with a warning). A checkpoint that cannot be
     * saved is not a problem of the run: it throws {@link CheckpointStoreException}, so the
     * caller's task fails and is retried. {@code listener} is told of the run's start, of every epoch
     * (restored ones too) and of its end.
     */
    public static RunResult run(RunSpec run, DataSource source, NetworkFactory networks, Checkpointing checkpoints,
                                EpochListener listener) {
        return train(run, source, networks, checkpoints, listener, null).result();
    }

    /**
     * Runs one training run that goes on from {@code from} (a PBT member's generation), as
     * {@link #run(RunSpec, DataSource, NetworkFactory, EpochListener)} runs any other: the same
     * engines, epoch loop, divergence check and result. Inherited state that does not fit the run's
     * network fails the run. Returns the network's state too when the run completes.
     */
    public static Continuation.Continued continueFrom(RunSpec run, DataSource source, NetworkFactory networks,
                                                      Continuation from, EpochListener listener) {
        return train(run, source, networks, Checkpointing.NONE, listener, from);
    }

    private static Continuation.Continued train(RunSpec run, DataSource source, NetworkFactory networks,
                                                Checkpointing checkpoints, EpochListener listener, Continuation from) {
        Instant started = Instant.now();
        PreparedDataset data = null;
        Layout layout = null;
        String used = null;
        List<EpochMetrics> history = new ArrayList<>();
        int resumedFrom = 0;
        int firstEpoch = from == null ? 0 : from.firstEpoch();
        try {
            data = run.datasetSha256() == null ? Datasets.load(run.datasetSource(), source)
                    : Datasets.load(run.datasetSource(), run.datasetSha256(), source);
            layout = from == null ? layout(run, data) : from.layout().apply(data);
            TrainTestSplit split = TrainTestSplit.of(data, run.testSplit(), run.labelNoise(),
                    from == null ? run.seed() : from.splitSeed());
            used = networks.engineName(layout);
            try (TrainableNetwork net = networks.create(run, layout, data)) {
                EpochLoop loop = new EpochLoop(run, net, split, from == null ? run.seed() ^ 0x5DEECE66DL
                        : from.orderSeed());
                if (from == null) {
                    resumedFrom = resume(run, used, net, loop, history, checkpoints);
                } else if (from.inherited() != null) {
                    inherit(net, from.inherited());
                }
                listener.started(run, layout, used);
                for (int e = 0; e < history.size(); e++) {
                    listener.epoch(run, e + 1, history.get(e));
                }
                train(run, used, net, loop, history, checkpoints, listener, firstEpoch);
                EpochMetrics last = history.isEmpty() ? null : history.get(history.size() - 1);
                if (last != null && last.diverged()) {
                    return new Continuation.Continued(result(run, RunStatus.DIVERGED, loop.divergence(last), data,
                            layout, used, history, resumedFrom, started), null);
                }
                byte[] state = from == null ? null : state(net);
                return new Continuation.Continued(result(run, RunStatus.COMPLETE, null, data, layout, used, history,
                        resumedFrom, started), state);
            }
        } catch (CheckpointStoreException | UncheckedIOException e) {
            // the store, the data or the disk failed, not the run: the caller's task fails and is retried
            throw e;
        } catch (Exception e) {
            return new Continuation.Continued(result(run, RunStatus.FAILED, describe(e), data, layout, used, history,
                    resumedFrom, started), null);
        } finally {
            listener.ended(run);
        }
    }

    /** Loads inherited state into {@code net}; state that does not fit is a problem of the run. */
    private static void inherit(TrainableNetwork net, Checkpoint inherited) {
        try {
            restore(net, inherited);
        } catch (IOException e) {
            throw new IllegalStateException("the inherited weights of run " + inherited.runId() + " (" + inherited.engine()
                    + ") do not fit this run's network: " + e.getMessage(), e);
        }
    }

    /** Loads a checkpoint's network state (weights and optimizer state) into {@code net}. */
    private static void restore(TrainableNetwork net, Checkpoint saved) throws IOException {
        net.readState(new DataInputStream(new ByteArrayInputStream(saved.network())));
    }

    /** {@code net}'s state as a checkpoint holds it. */
    private static byte[] state(TrainableNetwork net) throws IOException {
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        net.writeState(new DataOutputStream(state));
        return state.toByteArray();
    }

    /** The checkpoint store failed: an infrastructure fault, not a problem of the run. */
    public static final class CheckpointStoreException extends RuntimeException {
        CheckpointStoreException(String message, IOException cause) {
            super(message, cause);
        }
    }

    private static RunResult result(RunSpec run, RunStatus status, String error, PreparedDataset data,
                                    Layout layout, String engine, List<EpochMetrics> history, int resumedFrom,
                                    Instant started) {
        return new RunResult(run, status, error,
                data == null ? null : data.task().specName(),
                data == null ? null : data.nIn(),
                data == null ? null : data.nOut(),
                layout == null ? null : layout.widths(),
                layout == null ? null : layout.numFreeParameters(),
                engine,
                history, resumedFrom,
                Provenance.of(data == null ? run.datasetSha256() : data.sha256()), started, Instant.now());
    }

    /**
     * The run's network as a DL4J graph: dense layers of the layout's widths. In a residual shape
     * every hidden layer after the first whose width equals its input's adds that input to its
     * activated output (identity skip, no parameters), as BUTTER built them. With dropout, every
     * hidden layer's output (the skip included) is dropped in training.
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
            DenseLayer.Builder layer = new DenseLayer.Builder().nIn(inputs).nOut(widths.get(i)).activation(hidden);
            if (i >= 1) dropInputs(layer, run);
            graph.addLayer(dense, layer.build(), previous);
            String out = dense;
            if (residual && i >= 1 && inputs == widths.get(i)) {
                out = "residual_" + i;
                graph.addVertex(out, new ElementWiseVertex(ElementWiseVertex.Op.Add), dense, previous);
            }
            previous = out;
            inputs = widths.get(i);
        }
        LossFunction loss = switch (task) {
            case MULTICLASS -> LossFunction.MCXENT;
            case BINARY -> LossFunction.XENT;
            case REGRESSION -> LossFunction.MSE;
        };
        Activation output = task == Task.MULTICLASS ? Activation.SOFTMAX : Activation.SIGMOID;
        OutputLayer.Builder last = new OutputLayer.Builder(loss).nIn(inputs).nOut(layout.nOut()).activation(output);
        if (widths.size() > 1) dropInputs(last, run);
        graph.addLayer("output", last.build(), previous);
        graph.setOutputs("output");
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        return net;
    }

    /**
     * A run's dropout on every hidden layer's output, set where DL4J applies it: on the next layer's
     * input, as the probability of keeping each value (DL4J's inverted dropout, seeded by the graph).
     */
    private static void dropInputs(Layer.Builder<?> layer, RunSpec run) {
        if (run.dropout() > 0) layer.dropOut(1 - run.dropout());
    }

    /** DL4J's activation for a spec's; a new activation does not compile until it has one here. */
    private static Activation activation(ActivationFunction f) {
        return switch (f) {
            case RELU -> Activation.RELU;
            case ELU -> Activation.ELU;
            case SELU -> Activation.SELU;
            case LEAKY_RELU -> Activation.LEAKYRELU;
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
            case SWISH -> Activation.SWISH;
            case SOFTPLUS -> Activation.SOFTPLUS;
            case SOFTSIGN -> Activation.SOFTSIGN;
            case HARD_SIGMOID -> Activation.HARDSIGMOID;
            case LINEAR -> Activation.IDENTITY;
            case SOFTMAX -> Activation.SOFTMAX;
        };
    }

    /** DL4J's updater for a run's optimizer; a new optimizer does not compile until it has one here. */
    private static IUpdater updater(RunSpec run) {
        return switch (run.optimizer()) {
            case ADAM -> new Adam(run.learningRate());
            case SGD -> run.momentum() > 0 ? new Nesterovs(run.learningRate(), run.momentum())
                    : new Sgd(run.learningRate());
            case RMSPROP -> new RmsProp(run.learningRate());
        };
    }

    /**
     * Restores the run's last checkpoint into {@code net}, {@code loop} and {@code history}; returns
     * the epochs it had trained, 0 when the run starts from scratch.
     */
    private static int resume(RunSpec run, String engine, TrainableNetwork net, EpochLoop loop,
                              List<EpochMetrics> history, Checkpointing checkpoints) {
        if (!checkpoints.enabled()) {
            return 0;
        }
        try {
            Checkpoint c = checkpoints.store().load(run.runId());
            if (c == null) {
                return 0;
            }
            if (!c.runId().equals(run.runId()) || !c.engine().equals(engine)
                    || c.epochs() > run.epochs()) {
                LOG.warn("run {}: the checkpoint is of run {} on engine {} after {} epochs, not of this run on engine {};"
                        + " starting from scratch", run.runId(), c.runId(), c.engine(), c.epochs(), engine);
                return 0;
            }
            restore(net, c);
            loop.resume(c.epochs());
            history.addAll(c.history());
            LOG.info("run {}: resuming after epoch {} from its checkpoint", run.runId(), c.epochs());
            return c.epochs();
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {}: cannot resume from its checkpoint ({}); starting from scratch", run.runId(), e.toString());
            return 0;
        }
    }

    /** Trains the run's remaining epochs; listeners number them from {@code firstEpoch + 1}. */
    private static void train(RunSpec run, String engine, TrainableNetwork net, EpochLoop loop,
                              List<EpochMetrics> history, Checkpointing checkpoints, EpochListener listener,
                              int firstEpoch) throws IOException {
        EarlyStopping stopping = new EarlyStopping(run.earlyStoppingPatience());
        history.forEach(stopping::record); // its counters follow from the history, restored or not
        boolean goesOn = history.size() < run.epochs() && !stopping.stops();
        while (goesOn) {
            EpochMetrics m = loop.next();
            history.add(m);
            listener.epoch(run, firstEpoch + history.size(), m);
            stopping.record(m);
            // a diverged run ends with the epoch whose loss went non-finite: later ones would say no more
            goesOn = history.size() < run.epochs() && !stopping.stops() && !m.diverged();
            if (checkpoints.enabled() && goesOn && history.size() % checkpoints.everyEpochs() == 0) {
                save(run, engine, net, history, checkpoints.store());
            }
        }
    }

    /** Ends a run after {@code patience} epochs without a better test loss; never when 0. */
    private static final class EarlyStopping {
        private final int patience;
        private double bestTestLoss = Double.POSITIVE_INFINITY;
        private int epochsSinceBest;

        EarlyStopping(int patience) {
            this.patience = patience;
        }

        void record(EpochMetrics m) {
            if (m.testLoss() < bestTestLoss) {
                bestTestLoss = m.testLoss();
                epochsSinceBest = 0;
            } else {
                epochsSinceBest++;
            }
        }

        boolean stops() {
            return patience > 0 && epochsSinceBest >= patience;
        }
    }

    private static void save(RunSpec run, String engine, TrainableNetwork net, List<EpochMetrics> history,
                             CheckpointStore store) throws IOException {
        byte[] state = state(net);
        try {
            store.save(new Checkpoint(run.runId(), engine, history, state));
        } catch (IOException e) {
            throw new CheckpointStoreException("cannot save the checkpoint of run " + run.runId() + " after epoch "
                    + history.size() + ": " + e.getMessage(), e);
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
