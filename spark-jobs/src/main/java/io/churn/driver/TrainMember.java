package io.churn.driver;

import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.data.TrainTestSplit;
import io.churn.hadoop.HadoopDataSource;
import io.churn.hadoop.WeightStore;
import io.churn.live.StatsWriter;
import io.churn.network.Layout;
import io.churn.pbt.PbtSpec;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.PbtStore;
import io.churn.spec.LiveView;
import io.churn.train.Checkpoint;
import io.churn.train.Engine;
import io.churn.train.EpochListener;
import io.churn.train.EpochLoop;
import io.churn.train.EpochMetrics;
import io.churn.train.NetworkFactory;
import io.churn.train.Provenance;
import io.churn.train.TrainableNetwork;
import io.churn.train.Trainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function;

/**
 * The executor side of a PBT generation: builds the member's network with its current
 * hyperparameters on the engine {@code engine} picks for the layout (as a sweep's run is), loads
 * its weights and optimizer state from the weight store (or starts fresh), trains the generation's
 * epochs, saves its state and returns the score, recorded with its epochs and the engine that
 * trained it. The database decides which attempt of a task (Spark may retry or speculate one)
 * records the member: each stages its state under an attempt token; the first to record its result
 * publishes its state to the member's location, a later one discards its own. A member that goes on from saved state trains on the engine that saved it, since one
 * engine cannot read another's state. A member whose training fails scores NaN with its error; the
 * stage goes on. With a live view, its epochs also go to DL4J's training UI as session
 * {@code JOB.member-M}, numbered across generations.
 */
public final class TrainMember implements Function<MemberTask, Double> {

    private final DatabaseSettings database;
    private final WeightStore weights;
    private final LiveView liveView;
    private final Engine engine;

    /** {@code liveView}: where the live view goes, or null when it is off. */
    public TrainMember(DatabaseSettings database, WeightStore weights, LiveView liveView, Engine engine) {
        this.database = database;
        this.weights = weights;
        this.liveView = liveView;
        this.engine = engine;
    }

    @Override
    public Double call(MemberTask task) throws Exception {
        String executor = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
        StatsWriter stats = liveView == null ? null
                : new StatsWriter(liveView, run -> task.job() + ".member-" + task.member(), executor);
        EpochListener listener = stats == null ? EpochListener.NONE : stats;
        try (PbtStore store = PbtStore.openInJob(database); stats) {
            double score;
            String error = null;
            String digest = null;
            String used = null;
            PreparedDataset data = null;
            String attempt = UUID.randomUUID().toString();
            List<PbtStore.Epoch> recorded = new ArrayList<>();
            try {
                Checkpoint inherited = task.weightsFrom() == null ? null : weights.load(task.weightsFrom());
                data = Datasets.load(task.run().datasetSource(), new HadoopDataSource());
                TrainTestSplit split = TrainTestSplit.of(data, task.run().testSplit(), task.run().labelNoise(),
                        task.splitSeed());
                Layout layout = PbtSpec.layout(task.run(), task.hiddenWidths(), data);
                NetworkFactory networks = networks(inherited, layout);
                used = networks.engineName(layout);
                try (TrainableNetwork net = networks.create(task.run(), layout, data)) {
                    if (inherited != null) {
                        restore(net, inherited, task.weightsFrom());
                        digest = WeightStore.digest(inherited);
                    }
                    EpochLoop loop = new EpochLoop(task.run(), net, split, task.orderSeed());
                    List<EpochMetrics> epochs = new ArrayList<>();
                    listener.started(task.run(), layout, used);
                    try {
                        for (int e = 0; e < task.run().epochs(); e++) {
                            EpochMetrics m = loop.next();
                            if (m.diverged()) {
                                throw new ArithmeticException(loop.divergence(m)); // the member's score is NaN
                            }
                            epochs.add(m);
                            recorded.add(new PbtStore.Epoch(task.firstEpoch() + e, m, Provenance.CURRENT.host(),
                                    executor));
                            listener.epoch(task.run(), task.firstEpoch() + e + 1, m);
                        }
                    } finally {
                        listener.ended(task.run());
                    }
                    ByteArrayOutputStream state = new ByteArrayOutputStream();
                    net.writeState(new DataOutputStream(state));
                    weights.stage(task.weightsTo(), attempt, new Checkpoint(task.run().runId(), used, epochs,
                            state.toByteArray()));
                    score = task.metric().of(epochs.get(epochs.size() - 1));
                }
            } catch (IOException infrastructure) {
                throw infrastructure; // the weight store is unreachable or its file corrupt: let Spark retry the task
            } catch (Exception e) {
                score = Double.NaN;
                error = Trainer.describe(e);
            }
            String kept = store.saveResult(task.job(), task.generation(), task.member(), task.restart(), attempt,
                    score, error, digest, used, Provenance.of(data), recorded);
            if (attempt.equals(kept)) {
                weights.publish(task.weightsTo(), attempt);
            } else {
                weights.discard(task.weightsTo(), attempt);
                // the attempt that recorded the member may have been lost before publishing its state
                if (kept != null && !weights.exists(task.weightsTo())) {
                    weights.publish(task.weightsTo(), kept);
                }
            }
            return score;
        }
    }

    /** The engine's networks, or those of the engine that saved {@code inherited} when that is another. */
    private NetworkFactory networks(Checkpoint inherited, Layout layout) {
        if (inherited == null || inherited.engine().equals(engine.engineName(layout))) {
            return engine;
        }
        return Engine.fromSpecName(inherited.engine());
    }

    /** Loads saved state into {@code net}; state that does not fit is a problem of the member, not of the store. */
    private static void restore(TrainableNetwork net, Checkpoint inherited, String location) {
        try {
            net.readState(new DataInputStream(new ByteArrayInputStream(inherited.network())));
        } catch (IOException e) {
            throw new IllegalStateException("the weights at " + location + " do not fit this member's network: "
                    + e.getMessage(), e);
        }
    }
}
