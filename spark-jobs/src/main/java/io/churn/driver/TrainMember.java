package io.churn.driver;

import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.data.TrainTestSplit;
import io.churn.hadoop.HadoopDataSource;
import io.churn.hadoop.WeightStore;
import io.churn.live.StatsWriter;
import io.churn.sink.DatabaseSettings;
import io.churn.network.Layout;
import io.churn.sink.PbtStore;
import io.churn.spec.LiveView;
import io.churn.train.Dl4jNetwork;
import io.churn.train.Engine;
import io.churn.train.EpochListener;
import io.churn.train.EpochLoop;
import io.churn.train.EpochMetrics;
import io.churn.train.Provenance;
import io.churn.train.Trainer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The executor side of a PBT generation: builds the member's network with its current
 * hyperparameters, loads its weights and optimizer state from the weight store (or starts fresh),
 * trains the generation's epochs, records each epoch, saves the weights and returns the score.
 * A member whose training fails scores NaN with its error; the stage goes on. With a live view, its
 * epochs also go to DL4J's training UI as session {@code JOB.member-M}, numbered across generations.
 */
public final class TrainMember implements Function<MemberTask, Double> {

    private final DatabaseSettings database;
    private final WeightStore weights;
    private final LiveView liveView;
    private final int failInGeneration;

    /** {@code liveView}: where the live view goes, or null when it is off. */
    public TrainMember(DatabaseSettings database, WeightStore weights, LiveView liveView) {
        this(database, weights, liveView, -1);
    }

    /** For crash tests: every attempt of every task of this generation dies, failing the job. */
    TrainMember(DatabaseSettings database, WeightStore weights, LiveView liveView, int failInGeneration) {
        this.database = database;
        this.weights = weights;
        this.liveView = liveView;
        this.failInGeneration = failInGeneration;
    }

    @Override
    public Double call(MemberTask task) throws Exception {
        if (task.generation() == failInGeneration) {
            throw new IllegalStateException("injected fault: generation " + failInGeneration + " lost");
        }
        String executor = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
        StatsWriter stats = liveView == null ? null
                : new StatsWriter(liveView, run -> task.job() + ".member-" + task.member(), executor);
        EpochListener listener = stats == null ? EpochListener.NONE : stats;
        try (PbtStore store = PbtStore.open(database); stats) {
            double score;
            String error = null;
            String digest = null;
            PreparedDataset data = null;
            try {
                data = Datasets.load(task.run().dataset(), new HadoopDataSource());
                TrainTestSplit split = TrainTestSplit.of(data, task.run().testSplit(), task.run().labelNoise(),
                        task.splitSeed());
                Layout layout = Trainer.layout(task.run(), data);
                ComputationGraph net = Trainer.build(task.run(), layout, data.task());
                try {
                    if (task.weightsFrom() != null) {
                        WeightStore.Weights w = weights.load(task.weightsFrom());
                        net.setParams(w.params());
                        if (w.updaterState() != null) {
                            net.getUpdater().setStateViewArray(w.updaterState());
                        }
                        net.getConfiguration().setIterationCount(w.iterations());
                        net.getConfiguration().setEpochCount(w.epochs());
                        digest = digest(w.params());
                    }
                    EpochLoop loop = new EpochLoop(task.run(), new Dl4jNetwork(net, data.nIn(), data.nOut()), split,
                            task.orderSeed());
                    EpochMetrics last = null;
                    listener.started(task.run(), layout, Engine.DL4J.specName());
                    for (int e = 0; e < task.run().epochs(); e++) {
                        last = loop.next();
                        store.saveEpoch(task.job(), task.generation(), task.member(), task.firstEpoch() + e, last,
                                Provenance.CURRENT.host(), executor);
                        listener.epoch(task.run(), task.firstEpoch() + e + 1, last);
                    }
                    INDArray state = net.getUpdater().getStateViewArray();
                    weights.save(task.weightsTo(), new WeightStore.Weights(net.params(), state,
                            net.getConfiguration().getIterationCount(), net.getConfiguration().getEpochCount()));
                    score = metric(last, task.metric());
                } finally {
                    listener.ended(task.run());
                    net.close();
                }
            } catch (java.io.IOException infrastructure) {
                throw infrastructure; // the weight store is unreachable: let Spark retry the task
            } catch (Exception e) {
                score = Double.NaN;
                error = Trainer.describe(e);
            }
            store.saveScore(task.job(), task.generation(), task.member(), score, error, digest, Provenance.of(data));
            return score;
        }
    }

    static double metric(EpochMetrics m, String metric) {
        Double v = switch (metric) {
            case "test_loss" -> m.testLoss();
            case "train_loss" -> m.trainLoss();
            case "test_accuracy" -> m.testAccuracy();
            case "train_accuracy" -> m.trainAccuracy();
            case "test_mean_squared_error" -> m.testMeanSquaredError();
            case "test_mean_absolute_error" -> m.testMeanAbsoluteError();
            default -> throw new IllegalArgumentException("no metric " + metric);
        };
        return v == null ? Double.NaN : v;
    }

    /** SHA-256 of the weights' values, so records can show which saved weights a member started from. */
    public static String digest(INDArray params) throws Exception {
        float[] values = params.dup('c').data().asFloat();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }
}
