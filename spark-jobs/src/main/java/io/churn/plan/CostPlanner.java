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
}
