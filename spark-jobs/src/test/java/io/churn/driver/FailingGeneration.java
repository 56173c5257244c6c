package io.churn.driver;

import org.apache.spark.api.java.function.Function;

/**
 * Member training in which every attempt of every task of one generation dies, so the job fails
 * there as a crashed application would; other generations train as {@code members} does.
 */
record FailingGeneration(Function<MemberTask, Double> members, int generation)
        implements Function<MemberTask, Double> {

    @Override
    public Double call(MemberTask task) throws Exception {
        if (task.generation() == generation) {
            throw new IllegalStateException("injected fault: generation " + generation + " lost");
        }
        return members.call(task);
    }
}
