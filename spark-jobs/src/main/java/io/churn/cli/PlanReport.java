package io.churn.cli;

import io.churn.driver.SweepPlan;
import io.churn.network.Layout;
import io.churn.network.LayoutSolver;
import io.churn.plan.CostPlanner;
import io.churn.plan.StepTimes;
import io.churn.spec.RunSpec;
import io.churn.train.Engine;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What {@code sweep} prints of a plan: the cells it skipped, and for {@code --dry-run} what a user plans with. */
final class PlanReport {

    /** Reasons printed for skipped cells: the rest are alike but for their numbers. */
    static final int REASONS_SHOWN = 3;
    /** Groups of same-sized runs printed as the largest. */
    static final int LARGEST_SHOWN = 5;

    private PlanReport() {
    }

    /** The skipped cells, counted per dataset, shape and depth, with the first few reasons; nothing when none. */
    static void skipped(PrintWriter out, SweepPlan plan) {
        List<SweepPlan.SkippedCell> skipped = plan.skipped();
        if (skipped.isEmpty()) {
            return;
        }
        String sweep = plan.spec().name();
        out.printf("[%s] skipped %,d of %,d (dataset, shape, depth, size) cells: no layout comes within %.0f%% of"
                        + " their size; their %,d runs (%,d experiments) are not part of the sweep (\"strict\": true"
                        + " refuses such a spec)%n",
                sweep, skipped.size(), skipped.size() + plan.layouts().size(), LayoutSolver.MAX_RELATIVE_ERROR * 100,
                plan.skippedRuns(), plan.skippedExperiments());
        Map<String, Map<Integer, Integer>> byDatasetAndShape = new LinkedHashMap<>();
        for (SweepPlan.SkippedCell s : skipped) {
            byDatasetAndShape.computeIfAbsent(s.cell().dataset() + " " + s.cell().shape(), k -> new LinkedHashMap<>())
                    .merge(s.cell().depth(), 1, Integer::sum);
        }
        out.printf("  cells skipped per dataset, shape and depth (depth: cells)%n");
        byDatasetAndShape.forEach((datasetAndShape, byDepth) -> out.printf("    %s: %s%n", datasetAndShape,
                byDepth.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining(", "))));
        for (SweepPlan.SkippedCell s : skipped.subList(0, Math.min(REASONS_SHOWN, skipped.size()))) {
            out.printf("  e.g. %s%n", s.reason());
        }
        out.flush();
    }

    /** Runs of one cell with one batch size and epochs: they take the same time. */
    private record SizedRuns(SweepPlan.Cell cell, int batchSize, int epochs) {
    }

    /**
     * Runs, experiments, the estimated training time on the engines {@code engine} resolves to,
     * the largest runs, and the partitions for {@code slots} task slots ({@code partitions} equal
     * ones when above 0; none when {@code slots} is 0, unknown).
     */
    static void dryRun(PrintWriter out, SweepPlan plan, Engine engine, int slots, int partitions) {
        String sweep = plan.spec().name();
        int repetitions = plan.runs().repetitions();
        List<RunSpec> experiments = plan.runs().experiments();
        out.printf("[%s] dry run: %,d runs = %,d experiments (a run without its repetition) x %,d repetition(s),"
                        + " over %,d (dataset, shape, depth, size) cells; %,d skipped runs%n",
                sweep, plan.runs().size(), experiments.size(), repetitions, plan.layouts().size(), plan.skippedRuns());

        Map<SizedRuns, Integer> experimentsBySize = new LinkedHashMap<>();
        for (RunSpec e : experiments) {
            experimentsBySize.merge(new SizedRuns(SweepPlan.Cell.of(e), e.batchSize(), e.epochs()), 1, Integer::sum);
        }
        Map<Engine, Double> coreSeconds = new EnumMap<>(Engine.class);
        Map<Engine, Long> runsOn = new EnumMap<>(Engine.class);
        Map<SizedRuns, Double> secondsPerRun = new LinkedHashMap<>();
        experimentsBySize.forEach((sized, n) -> {
            Layout layout = plan.layouts().get(sized.cell());
            Engine trains = engine.resolve(layout);
            double seconds = StepTimes.runSeconds(trains, layout.numFreeParameters(), sized.batchSize(),
                    plan.trainRows(sized.cell().dataset()), sized.epochs());
            secondsPerRun.put(sized, seconds);
            coreSeconds.merge(trains, seconds * n * repetitions, Double::sum);
            runsOn.merge(trains, (long) n * repetitions, Long::sum);
        });
        double total = coreSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        out.printf("[%s] estimated training: %,.1f core-hours on engine %s (%s)%s%n", sweep, total / 3600,
                engine.specName(), coreSeconds.keySet().stream().map(e -> String.format("%s: %,d runs, %,.1f core-hours",
                        e.specName(), runsOn.get(e), coreSeconds.get(e) / 3600)).collect(Collectors.joining("; ")),
                slots > 0 ? String.format(", at least %s on %d slots", duration(total / slots), slots) : "");
        out.printf("  one run per core, epochs x steps x time per step from %s (measured by churn bench engines);"
                + " early stopping and metrics not counted%n", StepTimes.class.getName());

        List<Map.Entry<SizedRuns, Double>> largest = new ArrayList<>(secondsPerRun.entrySet());
        largest.sort(Map.Entry.<SizedRuns, Double>comparingByValue(Comparator.reverseOrder()));
        out.printf("[%s] largest runs (estimated time of each):%n", sweep);
        for (Map.Entry<SizedRuns, Double> e : largest.subList(0, Math.min(LARGEST_SHOWN, largest.size()))) {
            SizedRuns sized = e.getKey();
            Layout layout = plan.layouts().get(sized.cell());
            out.printf("  %s %s depth %d size %d, batch %d, %d epochs: %,d parameters on %s, %s each, %,d runs%n",
                    sized.cell().dataset(), sized.cell().shape(), sized.cell().depth(), sized.cell().size(),
                    sized.batchSize(), sized.epochs(), layout.numFreeParameters(), engine.resolve(layout).specName(),
                    duration(e.getValue()), (long) experimentsBySize.get(sized) * repetitions);
        }

        if (slots <= 0 && partitions <= 0) {
            out.printf("[%s] partitions: give --slots (the cluster's task slots) or --partitions to plan them%n", sweep);
        } else if (!plan.runs().isEmpty()) {
            double[] costs = plan.costs();
            CostPlanner.Partitions p = partitions > 0 ? CostPlanner.balance(costs, partitions)
                    : CostPlanner.guided(costs, slots);
            double[] loads = p.loads(costs);
            double work = 0;
            for (double load : loads) {
                work += load;
            }
            int last = p.count() - 1;
            out.printf("[%s] partitions: %,d %s; the first holds %,d run(s) (%.1f%% of the work), the last %,d run(s)"
                            + " (%.2g%%); work %.3g (parameters x training rows x epochs)%n",
                    sweep, p.count(), partitions > 0 ? "of equal estimated work" : "for " + slots
                            + " slots, shrinking from the costliest runs", p.size(0), 100 * loads[0] / work,
                    p.size(last), 100 * loads[last] / work, work);
        }
        out.flush();
    }

    /** A length of time in the unit that reads best: seconds, minutes, hours, days or years. */
    static String duration(double seconds) {
        double days = seconds / 86_400;
        return days >= 730 ? String.format("%,.1f years", days / 365.25)
                : days >= 2 ? String.format("%,.1f days", days)
                : seconds >= 3600 ? String.format("%.1f h", seconds / 3600)
                : seconds >= 60 ? String.format("%.1f min", seconds / 60) : String.format("%.2f s", seconds);
    }
}
