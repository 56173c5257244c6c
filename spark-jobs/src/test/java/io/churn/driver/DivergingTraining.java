package io.churn.driver;

import io.churn.spec.RunSpec;
import org.apache.spark.api.java.function.Function;

/**
 * Member training in which the first {@code trainings} trainings of one generation (its first,
 * then its restarts) run every member at a learning rate that diverges, as a bad hyperparameter
 * would; later restarts, and other generations, train as {@code members} does.
 */
record DivergingTraining(Function<MemberTask, Double> members, int generation, int trainings)
        implements Function<MemberTask, Double> {

    static final double DIVERGING_LEARNING_RATE = 1e20;

    @Override
    public Double call(MemberTask t) throws Exception {
        if (t.generation() != generation || t.restart() >= trainings) {
            return members.call(t);
        }
        RunSpec r = t.run();
        RunSpec diverging = new RunSpec(r.datasetIdentity(), r.shape(), r.depth(), r.size(), DIVERGING_LEARNING_RATE,
                r.batchSize(), r.labelNoise(), r.kernelRegularizer(), r.biasRegularizer(), r.optimizer(), r.momentum(),
                r.activation(), r.epochs(), r.earlyStoppingPatience(), r.testSplit(), r.repetition(), r.seed());
        return members.call(new MemberTask(t.job(), t.generation(), t.member(), t.hyperparameters(), diverging,
                t.hiddenWidths(), t.weightsFrom(), t.weightsTo(), t.splitSeed(), t.orderSeed(), t.metric(),
                t.firstEpoch(), t.restart()));
    }
}
