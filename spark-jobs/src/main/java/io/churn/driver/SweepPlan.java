package io.churn.driver;

import io.churn.data.DatasetIdentity;
import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.hadoop.HadoopDataSource;
import io.churn.network.Layout;
import io.churn.network.LayoutSolver;
import io.churn.plan.CostPlanner;
import io.churn.spec.Grid;
import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import io.churn.spec.SpecException;
import io.churn.spec.SweepRuns;
import io.churn.spec.SweepSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep's runs with their networks and estimated costs, made on the driver before Spark starts.
 * Every (dataset, shape, depth, size) cell is sized once, from each dataset's inputs and outputs
 * read once: a cell no layout can meet is skipped and counted (its runs are not part of the plan),
 * or, for a strict spec or when no cell is left, a spec error, not hundreds of failed runs. The runs are generated on
 * demand ({@link SweepRuns}), so a plan of millions of runs holds one object per experiment. How
 * the runs are trained is not part of a plan: that is the sweep's {@code SweepSettings}.
 *
 * @param runs     the runs to train: every run of the spec but those of skipped cells
 * @param datasets each dataset's task, rows, inputs and outputs after preprocessing, by what the spec names it
 * @param layouts  the network of every cell that has runs
 * @param skipped  the cells with no conformant layout, in the order the grids name them
 */
public record SweepPlan(SweepSpec spec, SweepRuns runs, Map<String, Datasets.Entry> datasets,
                        Map<Cell, Layout> layouts, List<SkippedCell> skipped) {

    /** The runs of one cell share one network; {@code dataset} is where the dataset is read from. */
    public record Cell(String dataset, String shape, int depth, long size) {
        public static Cell of(RunSpec run) {
            return new Cell(run.datasetSource(), run.shape(), run.depth(), run.size());
        }
    }

    /** A cell with no conformant layout: why, and how many of the spec's experiments it held. */
    public record SkippedCell(Cell cell, String reason, int experiments) {
    }

    public SweepPlan {
        datasets = Map.copyOf(datasets);
        layouts = Map.copyOf(layouts);
        skipped = List.copyOf(skipped);
    }

    /**
     * Bytes a run holds per free parameter while it trains: the weights, their gradients and two
     * optimizer moments (Adam's), in single precision.
     */
    static final long BYTES_PER_PARAMETER = 4 * Float.BYTES;
    /** The most memory one run's parameters may take (a run trains in one task on one executor). */
    public static final long MAX_RUN_BYTES = 8L << 30;

    public static SweepPlan of(SweepSpec spec, String source) {
        Set<String> problems = new LinkedHashSet<>();
        Map<String, Datasets.Entry> datasets = new LinkedHashMap<>();
        Map<String, DatasetIdentity> identities = new HashMap<>();
        for (Grid grid : spec.grids()) {
            for (String dataset : grid.dataset()) {
                if (identities.containsKey(dataset)) continue;
                try {
                    identities.put(dataset, read(dataset, datasets));
                } catch (RuntimeException e) {
                    problems.add("dataset " + dataset + ": " + e.getMessage());
                    identities.put(dataset, DatasetIdentity.named(dataset));
                }
            }
        }
        SweepRuns all = GridExpander.expand(spec, identities::get);
        Map<Cell, Layout> layouts = new HashMap<>();
        Map<Cell, String> nonConformant = new LinkedHashMap<>();
        Map<Cell, Integer> skippedExperiments = new HashMap<>();
        for (RunSpec experiment : all.experiments()) {
            Datasets.Entry data = datasets.get(experiment.datasetSource());
            if (data == null) {
                continue;
            }
            Cell cell = Cell.of(experiment);
            if (!layouts.containsKey(cell) && !nonConformant.containsKey(cell)) {
                try {
                    Layout layout = LayoutSolver.solve(cell.shape(), cell.depth(), cell.size(), data.nIn(), data.nOut());
                    layouts.put(cell, layout);
                    if (layout.numFreeParameters() > MAX_RUN_BYTES / BYTES_PER_PARAMETER) {
                        problems.add("size " + cell.size() + " on dataset " + cell.dataset() + ": "
                                + layout.numFreeParameters() + " parameters take about "
                                + (layout.numFreeParameters() * BYTES_PER_PARAMETER >> 30) + " GiB to train; a run may"
                                + " take at most " + (MAX_RUN_BYTES >> 30) + " GiB ("
                                + MAX_RUN_BYTES / BYTES_PER_PARAMETER + " parameters)");
                    }
                } catch (LayoutSolver.NonConformantLayoutException e) {
                    nonConformant.put(cell, "size " + cell.size() + " on dataset " + cell.dataset() + " ("
                            + data.nIn() + " inputs, " + data.nOut() + " outputs): " + e.getMessage());
                }
            }
            if (nonConformant.containsKey(cell)) {
                skippedExperiments.merge(cell, 1, Integer::sum);
            }
        }
        boolean nothingLeft = !nonConformant.isEmpty() && layouts.isEmpty();
        if (nothingLeft) {
            problems.add("no (dataset, shape, depth, size) cell of the sweep has a conformant layout: nothing to train");
        }
        if (spec.strict() || nothingLeft) {
            problems.addAll(nonConformant.values());
        }
        if (!problems.isEmpty()) {
            throw new SpecException(source, new ArrayList<>(problems));
        }
        List<SkippedCell> skipped = new ArrayList<>();
        nonConformant.forEach((cell, reason) -> skipped.add(new SkippedCell(cell, reason, skippedExperiments.get(cell))));
        SweepRuns runs = nonConformant.isEmpty() ? all : all.retain(r -> layouts.containsKey(Cell.of(r)));
        return new SweepPlan(spec, runs, datasets, layouts, skipped);
    }

    /**
     * Reads the dataset {@code dataset} names, once per plan (a file is read as it is now, never
     * from an earlier read), and records its rows, inputs and outputs after preprocessing: for a
     * bundled one the catalog's (tests hold the catalog to what preprocessing makes).
     */
    private static DatasetIdentity read(String dataset, Map<String, Datasets.Entry> datasets) {
        if (Datasets.isBundled(dataset)) {
            datasets.put(dataset, Datasets.catalog().stream().filter(e -> e.name().equals(dataset)).findFirst()
                    .orElseThrow());
            return new DatasetIdentity(dataset, dataset, Datasets.bundledSha256(dataset));
        }
        PreparedDataset data = Datasets.read(dataset, new HadoopDataSource());
        datasets.put(dataset, new Datasets.Entry(data.name(), data.task(), data.rows(), data.nIn(), data.nOut()));
        return DatasetIdentity.of(dataset, data);
    }

    /** The network a run trains. */
    public Layout layout(RunSpec run) {
        Layout layout = layouts.get(Cell.of(run));
        if (layout == null) {
            throw new IllegalArgumentException("run " + run.runId() + " is not in the plan of sweep " + spec.name());
        }
        return layout;
    }

    /** The rows a run of {@code dataset} (as the spec names it) trains on: those the test split leaves. */
    public int trainRows(String dataset) {
        int rows = datasets.get(dataset).rows();
        return rows - (int) Math.round(rows * spec.testSplit());
    }

    /** The run's estimated work, as {@link CostPlanner#cost} counts it. */
    public double cost(RunSpec run) {
        return CostPlanner.cost(layout(run).numFreeParameters(), trainRows(run.datasetSource()), run.epochs());
    }

    /** The estimated work of every run of the plan, by its index in {@link #runs()}, each experiment costed once. */
    public double[] costs() {
        List<RunSpec> experiments = runs.experiments();
        double[] byExperiment = new double[experiments.size()];
        for (int e = 0; e < byExperiment.length; e++) {
            byExperiment[e] = cost(experiments.get(e));
        }
        double[] costs = new double[runs.size()];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = byExperiment[runs.experimentIndex(i)];
        }
        return costs;
    }

    /** Runs of the spec left out because their cells have no conformant layout. */
    public long skippedRuns() {
        return (long) skippedExperiments() * runs.repetitions();
    }

    /** Experiments of the spec left out because their cells have no conformant layout. */
    public int skippedExperiments() {
        return skipped.stream().mapToInt(SkippedCell::experiments).sum();
    }
}
