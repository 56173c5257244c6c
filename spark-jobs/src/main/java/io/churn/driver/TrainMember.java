package io.churn.driver;

import io.churn.hadoop.HadoopDataSource;
import io.churn.hadoop.WeightStore;
import io.churn.live.StatsWriter;
import io.churn.pbt.PbtSpec;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.PbtStore;
import io.churn.spec.LiveView;
import io.churn.train.Checkpoint;
import io.churn.train.Continuation;
import io.churn.train.Engine;
import io.churn.train.EpochListener;
import io.churn.train.EpochMetrics;
import io.churn.train.NetworkFactory;
import io.churn.train.Provenance;
import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import io.churn.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function;

/**
 * The executor side of a PBT generation: the member's generation is an ordinary run
 * ({@link Trainer#continueFrom}) with its current hyperparameters, on the engine {@code engine} picks
 * for the layout (as a sweep's run is), going on from the weights and optimizer state it inherits
 * from the weight store (or from fresh weights); its state is saved and its score returned, recorded
 * with its epochs and the engine that trained it. A member that goes on from saved state trains on
 * the engine that saved it. The database decides which attempt of a task (Spark may retry or
 * speculate one) records the member: each stages its state under an attempt token; the first to
 * record its result publishes its state to the member's location, a later one discards its own. A
 * member whose training fails or diverges scores NaN with its error; the stage goes on. A weight
 * store or dataset that cannot be read fails the task, which Spark retries. With a live view, its
 * epochs also go to DL4J's training UI as session {@code JOB.member-M}, numbered across generations.
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
            String attempt = UUID.randomUUID().toString();
            // an unreachable store or a corrupt file throws: Spark retries the task
            Checkpoint inherited = task.weightsFrom() == null ? null : weights.load(task.weightsFrom());
            String digest = inherited == null ? null : WeightStore.digest(inherited);
            Continuation from = new Continuation(data -> PbtSpec.layout(task.run(), task.hiddenWidths(), data),
                    task.splitSeed(), task.orderSeed(), inherited, task.firstEpoch());
            Continuation.Continued trained = Trainer.continueFrom(task.run(), new HadoopDataSource(),
                    networks(inherited), from, listener);
            RunResult r = trained.result();
            List<PbtStore.Epoch> recorded = new ArrayList<>();
            for (EpochMetrics m : r.history()) {
                if (m.diverged()) break; // the member's score is NaN, its error says where it diverged
                recorded.add(new PbtStore.Epoch(task.firstEpoch() + recorded.size(), m, Provenance.CURRENT.host(),
                        executor));
            }
            double score = Double.NaN;
            if (r.status() == RunStatus.COMPLETE) {
                weights.stage(task.weightsTo(), attempt, new Checkpoint(task.run().runId(), r.engine(), r.history(),
                        trained.state()));
                score = task.metric().of(r.history().get(r.history().size() - 1));
            }
            String kept = store.saveResult(task.job(), task.generation(), task.member(), task.restart(), attempt,
                    score, r.error(), digest, r.engine(), r.provenance(), recorded);
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

    /**
     * The engine's networks, or, for a member that goes on from saved state, those of the engine that
     * saved it (the same, unless the job's engine changed): one engine cannot read another's state.
     */
    private NetworkFactory networks(Checkpoint inherited) {
        return inherited == null ? engine : Engine.fromSpecName(inherited.engine());
    }
}
