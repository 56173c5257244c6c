package io.churn.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.churn.data.DatasetIdentity;
import io.churn.data.Datasets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridExpanderTest {

    @Test
    void a_rectangular_grid_gives_every_combination_times_repetitions() {
        List<RunSpec> runs = GridExpander.expand(SpecParser.parse(SpecParserTest.VALID, "t"));
        assertEquals(2 * 2 * 2 * 2, runs.size());
        assertEquals(runs.size(), new HashSet<>(runs.stream().map(RunSpec::runId).toList()).size());
    }

    @Test
    void overlapping_sub_grids_count_each_run_once() {
        SweepSpec spec = SpecParser.parse("""
                { "name": "u", "repetitions": 3,
                  "grid": { "dataset": ["banana"], "shape": ["rectangle"], "size": [64],
                            "learning_rate": [0.001], "batch_size": [32], "epochs": [2] },
                  "grids": [ { "depth": [2, 3] }, { "depth": [3, 4, 5] } ] }
                """, "t");
        assertEquals(4 * 3, GridExpander.expand(spec).size());
    }

    @Test
    void two_names_of_one_dataset_give_its_runs_once_under_the_first_name() {
        SweepSpec spec = SpecParser.parse("""
                { "name": "u", "repetitions": 2,
                  "grid": { "dataset": ["/data/537_houses.tsv", "file:///data/537_houses.tsv"], "shape": ["rectangle"],
                            "depth": [2, 3], "size": [64], "learning_rate": [0.001], "batch_size": [32], "epochs": [2] } }
                """, "t");
        String sha = "ab".repeat(32);
        List<RunSpec> runs = GridExpander.expand(spec, d -> new DatasetIdentity(Datasets.name(d), d, sha));
        assertEquals(2 * 2, runs.size());
        for (RunSpec r : runs) {
            assertEquals("537_houses", r.dataset());
            assertEquals("/data/537_houses.tsv", r.datasetSource());
            assertEquals(sha, r.datasetSha256());
        }
    }

    @Test
    void runs_of_one_repetition_share_a_seed_and_repetitions_differ() {
        List<RunSpec> runs = GridExpander.expand(SpecParser.parse(SpecParserTest.VALID, "t"));
        Set<Long> rep0 = new HashSet<>();
        Set<Long> rep1 = new HashSet<>();
        for (RunSpec r : runs) {
            (r.repetition() == 0 ? rep0 : rep1).add(r.seed());
        }
        assertEquals(1, rep0.size());
        assertEquals(1, rep1.size());
        assertNotEquals(rep0, rep1);
        assertEquals(GridExpander.seedFor(7, 1), rep1.iterator().next());
    }

    @Test
    void momentum_varies_only_sgd_runs() {
        SweepSpec spec = SpecParser.parse("""
                { "name": "m",
                  "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2], "size": [64],
                            "learning_rate": [0.01], "batch_size": [32], "epochs": [2],
                            "optimizer": ["adam", "sgd", "rmsprop"], "momentum": [0.0, 0.9] } }
                """, "t");
        List<RunSpec> runs = GridExpander.expand(spec);
        assertEquals(4, runs.size());
        assertEquals(2, runs.stream().filter(r -> r.optimizer() == Optimizer.SGD).count());
        assertEquals(0, runs.stream().filter(r -> r.optimizer() != Optimizer.SGD && r.momentum() != 0).count());
    }

    /** The expansion as it was first written: every run made and kept, the first of equal ids winning. */
    static List<RunSpec> eagerly(SweepSpec spec) {
        java.util.Map<String, RunSpec> runs = new java.util.LinkedHashMap<>();
        for (Grid g : spec.grids()) {
            for (int repetition = 0; repetition < spec.repetitions(); repetition++) {
                for (String dataset : g.dataset())
                for (int depth : g.depth())
                for (Optimizer optimizer : g.optimizer())
                for (double momentum : g.momentum()) {
                    RunSpec run = new RunSpec(dataset, g.shape().get(0), depth, g.size().get(0),
                            g.learningRate().get(0), g.batchSize().get(0), 0, KernelRegularizer.NONE,
                            KernelRegularizer.NONE, optimizer, optimizer == Optimizer.SGD ? momentum : 0,
                            ActivationFunction.RELU, g.epochs().get(0), 0, spec.testSplit(), repetition,
                            GridExpander.seedFor(spec.seed(), repetition));
                    runs.putIfAbsent(run.runId(), run);
                }
            }
        }
        return List.copyOf(runs.values());
    }

    @Test
    void runs_made_on_demand_are_the_runs_and_order_of_expanding_every_one() {
        SweepSpec spec = SpecParser.parse("""
                { "name": "lazy", "seed": 5, "repetitions": 3,
                  "grid": { "dataset": ["banana", "splice"], "shape": ["rectangle"], "size": [64],
                            "learning_rate": [0.001], "batch_size": [32], "epochs": [2],
                            "optimizer": ["adam", "sgd"], "momentum": [0.0, 0.9] },
                  "grids": [ { "depth": [2, 3] }, { "depth": [3] }, { "depth": [3, 4], "dataset": ["banana"] } ] }
                """, "t");
        SweepRuns runs = GridExpander.expand(spec);
        List<RunSpec> expected = eagerly(spec);
        // 2 datasets x 2 depths x 3 optimizer variants, then banana at depth 4; the second grid adds nothing
        assertEquals((2 * 2 * 3 + 3) * 3, expected.size());
        assertEquals(expected, runs);
        assertEquals(expected, List.copyOf(runs));
        assertEquals(15, runs.experimentCount());
        for (int i = 0; i < runs.size(); i++) {
            RunSpec experiment = runs.experiments().get(runs.experimentIndex(i));
            assertEquals(experiment.withRepetition(runs.get(i).repetition(), runs.get(i).seed()), runs.get(i));
        }
    }

    @Test
    void retained_runs_keep_their_order_less_the_experiments_left_out() {
        SweepSpec spec = SpecParser.parse(SpecParserTest.VALID, "t");
        SweepRuns runs = GridExpander.expand(spec);
        SweepRuns deep = runs.retain(r -> r.depth() > 2);
        assertEquals(runs.stream().filter(r -> r.depth() > 2).toList(), deep);
        assertEquals(runs.experimentCount() / 2, deep.experimentCount());
        assertEquals(runs.repetitions(), deep.repetitions());
        assertEquals(0, runs.retain(r -> false).size());
    }
}
