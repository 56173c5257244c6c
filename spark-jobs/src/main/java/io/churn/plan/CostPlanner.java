package io.churn.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToDoubleFunction;

/**
 * Spreads runs over partitions so that no partition holds most of the work: longest processing
 * time first (each run, costliest first, joins the least loaded partition), which keeps the
 * largest partition within 4/3 of the best possible.
 */
public final class CostPlanner {

    private CostPlanner() {
    }

    /** The estimated work of a run: parameters × training rows × epochs (multiply-adds, up to a constant). */
    public static double cost(long numFreeParameters, int trainRows, int epochs) {
        return (double) numFreeParameters * trainRows * epochs;
    }

    /** {@code min(partitions, items)} non-empty partitions whose summed costs are balanced. */
    public static <T> List<List<T>> balance(List<T> items, ToDoubleFunction<T> cost, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, not " + partitions);
        }
        int n = Math.min(partitions, items.size());
        List<T> ordered = new ArrayList<>(items);
        ordered.sort(Comparator.comparingDouble(cost).reversed());
        List<List<T>> bins = new ArrayList<>(n);
        double[] load = new double[n];
        PriorityQueue<Integer> lightest = new PriorityQueue<>(
                Comparator.<Integer>comparingDouble(b -> load[b]).thenComparingInt(b -> b));
        for (int b = 0; b < n; b++) {
            bins.add(new ArrayList<>());
            lightest.add(b);
        }
        for (T item : ordered) {
            int b = lightest.poll();
            bins.get(b).add(item);
            load[b] += cost.applyAsDouble(item);
            lightest.add(b);
        }
        return bins;
    }

    /**
     * Partitions for {@code slots} task slots that take them in order (as Spark schedules a stage's
     * tasks): the costliest runs first, each partition holding {@code 1 / (2 slots)} of the work not
     * yet assigned, and at least one run. Partitions shrink toward the end, so whichever slot frees
     * up takes the next one and the job ends on a short partition, whatever the estimates missed;
     * equal partitions would leave slots idle for the estimates' error. About
     * {@code 2 slots ln(runs)} partitions.
     */
    public static <T> List<List<T>> guided(List<T> items, ToDoubleFunction<T> cost, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, not " + slots);
        }
        List<T> ordered = new ArrayList<>(items);
        ordered.sort(Comparator.comparingDouble(cost).reversed());
        double remaining = ordered.stream().mapToDouble(cost).sum();
        List<List<T>> partitions = new ArrayList<>();
        int next = 0;
        while (next < ordered.size()) {
            double share = remaining / (2.0 * slots);
            List<T> partition = new ArrayList<>();
            double load = 0;
            do {
                T item = ordered.get(next++);
                partition.add(item);
                load += cost.applyAsDouble(item);
            } while (next < ordered.size() && load + cost.applyAsDouble(ordered.get(next)) <= share);
            remaining -= load;
            partitions.add(partition);
        }
        return partitions;
    }
}
