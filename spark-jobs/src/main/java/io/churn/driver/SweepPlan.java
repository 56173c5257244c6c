package io.churn.driver;

import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.hadoop.HadoopDataSource;
import io.churn.network.Layout;
import io.churn.network.LayoutSolver;
import io.churn.plan.CostPlanner;
import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import io.churn.spec.SpecException;
import io.churn.spec.SweepSpec;
import io.churn.train.Trainer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep's runs with their estimated costs, made on the driver before Spark starts. Sizing every
 * network here means a budget no layout can meet is a spec error, not hundreds of failed runs. How
 * the runs are trained is not part of a plan: that is the sweep's {@code SweepSettings}.
 */
public record SweepPlan(SweepSpec spec, List<RunSpec> runs, Map<String, Double> costByRunId) {

    public SweepPlan {
        runs = List.copyOf(runs);
        costByRunId = Map.copyOf(costByRunId);
    }

    /**
     * Bytes a run holds per free parameter while it trains: the weights, their gradients and two
     * optimizer moments (Adam's), in single precision.
     */
    static final long BYTES_PER_PARAMETER = 4 * Float.BYTES;
    /** The most memory one run's parameters may take (a run trains in one task on one executor). */
    public static final long MAX_RUN_BYTES = 8L << 30;

    public static SweepPlan of(SweepSpec spec, String source) {
        List<RunSpec> runs = GridExpander.expand(spec);
        Map<String, Double> costs = new HashMap<>();
        Map<String, Layout> layouts = new HashMap<>();
        Set<String> problems = new LinkedHashSet<>();
        Map<String, PreparedDataset> datasets = new HashMap<>();
        for (RunSpec run : runs) {
            if (!datasets.containsKey(run.dataset())) {
                try {
                    datasets.put(run.dataset(), Datasets.load(run.dataset(), new HadoopDataSource()));
                } catch (RuntimeException e) {
                    problems.add("dataset " + run.dataset() + ": " + e.getMessage());
                    datasets.put(run.dataset(), null);
                }
            }
            PreparedDataset data = datasets.get(run.dataset());
            if (data == null) {
                continue;
            }
            String key = run.dataset() + "/" + run.shape() + "/" + run.depth() + "/" + run.size();
            try {
                Layout layout = layouts.computeIfAbsent(key, k -> Trainer.layout(run, data));
                if (layout.numFreeParameters() > MAX_RUN_BYTES / BYTES_PER_PARAMETER) {
                    problems.add("size " + run.size() + " on dataset " + run.dataset() + ": " + layout.numFreeParameters()
                            + " parameters take about " + (layout.numFreeParameters() * BYTES_PER_PARAMETER >> 30)
                            + " GiB to train; a run may take at most " + (MAX_RUN_BYTES >> 30) + " GiB ("
                            + MAX_RUN_BYTES / BYTES_PER_PARAMETER + " parameters)");
                    continue;
                }
                int trainRows = data.rows() - (int) Math.round(data.rows() * run.testSplit());
                costs.put(run.runId(), CostPlanner.cost(layout.numFreeParameters(), trainRows, run.epochs()));
            } catch (LayoutSolver.NonConformantLayoutException e) {
                problems.add("size " + run.size() + " on dataset " + run.dataset() + " (" + data.nIn() + " inputs, "
                        + data.nOut() + " outputs): " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new SpecException(source, new ArrayList<>(problems));
        }
        return new SweepPlan(spec, runs, costs);
    }

    public double cost(RunSpec run) {
        return costByRunId.get(run.runId());
    }
}
