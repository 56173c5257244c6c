package io.churn.driver;

import io.churn.pbt.Metric;
import io.churn.spec.RunSpec;
import java.io.Serializable;
import java.util.Map;

/**
 * One PBT member's work for one generation, shipped to an executor: its configuration as a run
 * (whose seed seeds fresh weights), where its weights come from (null: fresh) and go to, and the
 * seeds of the data split (shared by the population) and of its data order.
 */
public record MemberTask(String job, int generation, int member, Map<String, Object> hyperparameters, RunSpec run,
                         String weightsFrom, String weightsTo, long splitSeed, long orderSeed, Metric metric,
                         int firstEpoch) implements Serializable {

    public MemberTask {
        hyperparameters = Map.copyOf(hyperparameters);
    }
}
