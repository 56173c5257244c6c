package io.churn.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CostPlannerTest {

    static double load(List<Double> bin) {
        return bin.stream().mapToDouble(Double::doubleValue).sum();
    }

    @Test
    void every_run_lands_in_exactly_one_partition() {
        List<Double> costs = new ArrayList<>();
        for (int i = 0; i < 101; i++) costs.add((double) (i % 7 + 1));
        List<List<Double>> bins = CostPlanner.balance(costs, Double::doubleValue, 8);
        assertEquals(8, bins.size());
        List<Double> all = bins.stream().flatMap(List::stream).sorted().collect(Collectors.toList());
        List<Double> expected = costs.stream().sorted().collect(Collectors.toList());
        assertEquals(expected, all);
    }

    @Test
    void skewed_costs_are_spread_so_no_partition_holds_most_of_the_work() {
        // BUTTER-like sizes: budgets doubling from 2^5 to 2^14, four runs each
        List<Double> costs = new ArrayList<>();
        for (int k = 5; k <= 14; k++) {
            for (int r = 0; r < 4; r++) costs.add(Math.pow(2, k));
        }
        int n = 4;
        List<List<Double>> bins = CostPlanner.balance(costs, Double::doubleValue, n);
        double total = costs.stream().mapToDouble(Double::doubleValue).sum();
        double max = bins.stream().mapToDouble(CostPlannerTest::load).max().orElseThrow();
        double min = bins.stream().mapToDouble(CostPlannerTest::load).min().orElseThrow();
        assertTrue(max <= total / n * 1.05, "largest partition " + max + " of " + total);
        assertTrue(min >= total / n * 0.95, "smallest partition " + min + " of " + total);
    }

    @Test
    void one_huge_run_gets_a_partition_to_itself() {
        List<Double> costs = new ArrayList<>(List.of(1000.0));
        for (int i = 0; i < 30; i++) costs.add(10.0);
        List<List<Double>> bins = CostPlanner.balance(costs, Double::doubleValue, 3);
        assertTrue(bins.contains(List.of(1000.0)), bins.toString());
        bins.remove(List.of(1000.0));
        assertEquals(150.0, load(bins.get(0)));
        assertEquals(150.0, load(bins.get(1)));
    }

    @Test
    void fewer_runs_than_partitions_gives_one_run_each() {
        assertEquals(2, CostPlanner.balance(List.of(1.0, 2.0), Double::doubleValue, 8).size());
        assertEquals(0, CostPlanner.balance(List.<Double>of(), Double::doubleValue, 8).size());
        assertThrows(IllegalArgumentException.class, () -> CostPlanner.balance(List.of(1.0), Double::doubleValue, 0));
    }

    @Test
    void guided_partitions_hold_every_run_once_and_shrink_from_the_costliest() {
        List<Double> costs = new ArrayList<>();
        for (int k = 5; k <= 14; k++) {
            for (int r = 0; r < 20; r++) costs.add(Math.pow(2, k) * (1 + r % 3));
        }
        int slots = 2;
        List<List<Double>> parts = CostPlanner.guided(costs, Double::doubleValue, slots);
        assertEquals(costs.stream().sorted().collect(Collectors.toList()),
                parts.stream().flatMap(List::stream).sorted().collect(Collectors.toList()));
        double total = costs.stream().mapToDouble(Double::doubleValue).sum();
        // the first takes about a quarter of the work (two slots), each later one no more than its share
        assertTrue(load(parts.get(0)) <= total / (2 * slots) + 1e-9, parts.get(0).toString());
        assertTrue(load(parts.get(0)) >= total / (2 * slots) * 0.9, parts.get(0).toString());
        for (int i = 1; i < parts.size(); i++) {
            assertTrue(parts.get(i).get(0) <= parts.get(i - 1).get(parts.get(i - 1).size() - 1),
                    "partition " + i + " starts with a costlier run than the one before ends with");
        }
        // the job ends on cheap work: the last partition is a small share of the whole
        assertTrue(load(parts.get(parts.size() - 1)) < total / 100, parts.get(parts.size() - 1).toString());
        assertTrue(parts.size() < costs.size() / 4, parts.size() + " partitions");
    }

    @Test
    void a_run_costlier_than_its_share_is_a_partition_of_its_own() {
        List<Double> costs = new ArrayList<>(List.of(1000.0));
        for (int i = 0; i < 30; i++) costs.add(10.0);
        List<List<Double>> parts = CostPlanner.guided(costs, Double::doubleValue, 2);
        assertEquals(List.of(1000.0), parts.get(0));
        assertEquals(0, CostPlanner.guided(List.<Double>of(), Double::doubleValue, 2).size());
        assertThrows(IllegalArgumentException.class, () -> CostPlanner.guided(List.of(1.0), Double::doubleValue, 0));
    }

    @Test
    void runs_are_taken_costliest_first_and_equal_costs_in_their_order() {
        double[] costs = {3, 1, 3, 2, 1, 3};
        assertEquals(List.of(0, 2, 5, 3, 1, 4), java.util.Arrays.stream(CostPlanner.costliestFirst(costs)).boxed()
                .toList());
        CostPlanner.Partitions p = CostPlanner.balance(costs, 2);
        assertEquals(2, p.count());
        assertEquals(List.of(List.of("a", "f", "e"), List.of("c", "d", "b")),
                p.of(List.of("a", "b", "c", "d", "e", "f")));
        assertEquals(List.of(7.0, 6.0), java.util.Arrays.stream(p.loads(costs)).boxed().toList());
    }
}
