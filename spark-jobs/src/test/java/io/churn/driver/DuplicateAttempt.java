package io.churn.driver;

import io.churn.spec.RunSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.Function;

/**
 * A task of one member and generation whose attempt is followed by a late duplicate (as Spark's
 * retry or speculation may run one) that trains otherwise: at another learning rate, to another
 * score. The task reports the first attempt's score; {@link #LATE} keeps the duplicate's, by job.
 */
record DuplicateAttempt(Function<MemberTask, Double> members, int generation, int member, double lateLearningRate)
        implements Function<MemberTask, Double> {

    static final Map<String, Double> LATE = new ConcurrentHashMap<>();

    @Override
    public Double call(MemberTask t) throws Exception {
        double first = members.call(t);
        if (t.generation() == generation && t.member() == member) {
            RunSpec r = t.run();
            RunSpec other = new RunSpec(r.datasetIdentity(), r.shape(), r.depth(), r.size(), lateLearningRate, r.batchSize(),
                    r.labelNoise(), r.kernelRegularizer(), r.biasRegularizer(), r.optimizer(), r.momentum(),
                    r.activation(), r.epochs(), r.earlyStoppingPatience(), r.testSplit(), r.repetition(), r.seed());
            LATE.put(t.job(), members.call(new MemberTask(t.job(), t.generation(), t.member(), t.hyperparameters(), other,
                    t.hiddenWidths(), t.weightsFrom(), t.weightsTo(), t.splitSeed(), t.orderSeed(), t.metric(),
                    t.firstEpoch(), t.restart())));
        }
        return first;
    }
}
