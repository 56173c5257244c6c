package io.churn.driver;

import io.churn.pbt.Metric;
import io.churn.spec.RunSpec;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One PBT member's work for one generation, shipped to an executor: its configuration as a run
 * (whose seed seeds fresh weights), where its weights come from (null: fresh) and go to, and the
 * seeds of the data split (shared by the population) and of its data order. {@code hiddenWidths}:
 * the network's explicit hidden widths (empty: the run's shape, depth and size say); {@code restart}:
 * which training of the generation this is (0 the first, 1.. after every member diverged).
 */
public record MemberTask(String job, int generation, int member, Map<String, Object> hyperparameters, RunSpec run,
                         List<Integer> hiddenWidths, String weightsFrom, String weightsTo, long splitSeed,
                         long orderSeed, Metric metric, int firstEpoch, int restart) implements Serializable {

    public MemberTask {
        hyperparameters = Map.copyOf(hyperparameters);
        hiddenWidths = List.copyOf(hiddenWidths);
    }
}
