package io.churn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToDoubleFunction;

/**
 * Spreads runs over partitions so that no partition holds most of the work: longest processing
 * time first (each run, costliest first, joins the least loaded partition), which keeps the
 * largest partition within 4/3 of the best possible. Plans are made over an array of costs, one
 * per run, so millions of runs are planned without an object per run.
 */
public final class CostPlanner {

    private CostPlanner() {
    }

    /** The estimated work of a run: parameters × training rows × epochs (multiply-adds, up to a constant). */
    public static double cost(long numFreeParameters, int trainRows, int epochs) {
        return (double) numFreeParameters * trainRows * epochs;
    }

    /**
     * Partitions of items {@code 0 .. n-1}: partition {@code p} holds the items
     * {@code order[ends[p-1]] .. order[ends[p] - 1]} ({@code ends[-1]} read as 0), costliest first.
     */
    public record Partitions(int[] order, int[] ends) {

        public int count() {
            return ends.length;
        }

        public int size(int partition) {
            return ends[partition] - start(partition);
        }

        /** The items of {@code partition}, as indices of the planned costs. */
        public int[] items(int partition) {
            return Arrays.copyOfRange(order, start(partition), ends[partition]);
        }

        /** The summed cost of each partition. */
        public double[] loads(double[] costs) {
            double[] loads = new double[count()];
            for (int p = 0; p < count(); p++) {
                for (int i = start(p); i < ends[p]; i++) {
                    loads[p] += costs[order[i]];
                }
            }
            return loads;
        }

        /** The partitions of {@code items}, the list the costs were planned for. */
        public <T> List<List<T>> of(List<T> items) {
            List<List<T>> partitions = new ArrayList<>(count());
            for (int p = 0; p < count(); p++) {
                List<T> partition = new ArrayList<>(size(p));
                for (int i = start(p); i < ends[p]; i++) {
                    partition.add(items.get(order[i]));
                }
                partitions.add(partition);
            }
            return partitions;
        }

        private int start(int partition) {
            return partition == 0 ? 0 : ends[partition - 1];
        }
    }

    /** {@code min(partitions, items)} non-empty partitions whose summed costs are balanced. */
    public static <T> List<List<T>> balance(List<T> items, ToDoubleFunction<T> cost, int partitions) {
        return balance(costs(items, cost), partitions).of(items);
    }

    /** {@link #balance(List, ToDoubleFunction, int)} of the items whose costs these are. */
    public static Partitions balance(double[] costs, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, not " + partitions);
        }
        int n = Math.min(partitions, costs.length);
        int[] ordered = costliestFirst(costs);
        double[] load = new double[n];
        PriorityQueue<Integer> lightest = new PriorityQueue<>(
                Comparator.<Integer>comparingDouble(b -> load[b]).thenComparingInt(b -> b));
        for (int b = 0; b < n; b++) {
            lightest.add(b);
        }
        int[] bin = new int[ordered.length];
        int[] sizes = new int[n];
        for (int i = 0; i < ordered.length; i++) {
            int b = lightest.poll();
            bin[i] = b;
            sizes[b]++;
            load[b] += costs[ordered[i]];
            lightest.add(b);
        }
        // group by partition, keeping the costliest-first order within each
        int[] ends = new int[n];
        int[] next = new int[n];
        for (int b = 0, sum = 0; b < n; b++) {
            next[b] = sum;
            sum += sizes[b];
            ends[b] = sum;
        }
        int[] order = new int[ordered.length];
        for (int i = 0; i < ordered.length; i++) {
            order[next[bin[i]]++] = ordered[i];
        }
        return new Partitions(order, ends);
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
        return guided(costs(items, cost), slots).of(items);
    }

    /** {@link #guided(List, ToDoubleFunction, int)} of the items whose costs these are. */
    public static Partitions guided(double[] costs, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, not " + slots);
        }
        int[] order = costliestFirst(costs);
        double remaining = 0;
        for (double c : costs) {
            remaining += c;
        }
        List<Integer> ends = new ArrayList<>();
        int next = 0;
        while (next < order.length) {
            double share = remaining / (2.0 * slots);
            double load = 0;
            do {
                load += costs[order[next++]];
            } while (next < order.length && load + costs[order[next]] <= share);
            remaining -= load;
            ends.add(next);
        }
        return new Partitions(order, ends.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Each item's cost, asked once. */
    private static <T> double[] costs(List<T> items, ToDoubleFunction<T> cost) {
        double[] costs = new double[items.size()];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = cost.applyAsDouble(items.get(i));
        }
        return costs;
    }

    /**
     * The indices of {@code costs}, costliest first, ties in index order. Sorted as longs (the
     * cost's rank among the distinct costs, then the index), so millions sort without boxing.
     */
    static int[] costliestFirst(double[] costs) {
        double[] distinct = costs.clone();
        Arrays.sort(distinct);
        int k = 0;
        for (int i = 0; i < distinct.length; i++) {
            if (k == 0 || Double.compare(distinct[i], distinct[k - 1]) != 0) {
                distinct[k++] = distinct[i];
            }
        }
        long[] keys = new long[costs.length];
        for (int i = 0; i < costs.length; i++) {
            long rank = k - 1 - Arrays.binarySearch(distinct, 0, k, costs[i]);
            keys[i] = rank << 32 | i;
        }
        Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }
}
